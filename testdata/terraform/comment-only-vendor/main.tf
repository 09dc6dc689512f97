# The Hikvision units on this prefix were replaced in 2024 (ticket OPS-118).
resource "netbox_prefix" "ops" {
  prefix = "10.60.0.0/24"
  tags   = ["sensitive"]
}

resource "netbox_manufacturer" "axis" {
  name = "Axis" # not Hikvision any more
}

resource "netbox_device_type" "p3245" {
  model           = "P3245-LVE"
  manufacturer_id = netbox_manufacturer.axis.id
}

/* Dahua IPC-HDW2431T-AS removed */
resource "netbox_device" "ops_cam" {
  name           = "ops-cam-01"
  device_type_id = netbox_device_type.p3245.id
}

resource "netbox_device_interface" "ops_cam" {
  name      = "eth0"
  device_id = netbox_device.ops_cam.id
}

resource "netbox_ip_address" "ops_cam" {
  ip_address          = "10.60.0.10/24"
  device_interface_id = netbox_device_interface.ops_cam.id
}
