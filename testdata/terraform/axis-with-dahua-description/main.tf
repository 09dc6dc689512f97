resource "netbox_prefix" "ops" {
  prefix = "10.61.0.0/24"
  tags   = ["sensitive"]
}

resource "netbox_manufacturer" "axis" {
  name = "Axis Communications"
}

resource "netbox_device_type" "q" {
  model           = "Q6135-LE"
  manufacturer_id = netbox_manufacturer.axis.id
}

resource "netbox_device" "yard" {
  name           = "yard-ptz"
  device_type_id = netbox_device_type.q.id
  comments       = "Replaces the old Dahua DH-SD49425XB-HNR PTZ"
}

resource "netbox_device_interface" "yard" {
  name      = "eth0"
  device_id = netbox_device.yard.id
}

resource "netbox_ip_address" "yard" {
  ip_address          = "10.61.0.12/24"
  device_interface_id = netbox_device_interface.yard.id
}
