resource "netbox_vlan" "secure" {
  name = "SECURE-CCTV"
  vid  = 210
}

resource "netbox_prefix" "secure" {
  prefix  = "10.100.0.0/24"
  vlan_id = netbox_vlan.secure.id
  tags    = ["official-sensitive"]
}

resource "netbox_manufacturer" "ezviz" {
  name = "EZVIZ"
}

resource "netbox_device_type" "c6n" {
  model           = "CS-C6N-A0-1C2WFR"
  manufacturer_id = netbox_manufacturer.ezviz.id
}

resource "netbox_device" "reception" {
  name           = "reception-cam"
  device_type_id = netbox_device_type.c6n.id
}

resource "netbox_device_interface" "reception" {
  name      = "eth0"
  device_id = netbox_device.reception.id
}

resource "netbox_ip_address" "reception" {
  ip_address          = "10.100.0.5/24"
  device_interface_id = netbox_device_interface.reception.id
}
