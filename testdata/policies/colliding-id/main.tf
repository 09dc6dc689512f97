# Operations range: 10.20.0.0/16. Visitors: 10.30.0.0/16.
resource "netbox_prefix" "ops" {
  prefix      = "10.20.1.0/24"
  description = "ops cameras"
}

resource "netbox_prefix" "visitors" {
  prefix      = "10.30.5.0/24"
  description = "visitor wifi"
}

resource "netbox_manufacturer" "hik" {
  name = "Hikvision"
}

resource "netbox_device_type" "bullet" {
  model           = "DS-2CD2143G2-I"
  manufacturer_id = netbox_manufacturer.hik.id
}

resource "netbox_device" "gate" {
  name           = "gate-cam"
  device_type_id = netbox_device_type.bullet.id
}

resource "netbox_device_interface" "gate" {
  name      = "eth0"
  device_id = netbox_device.gate.id
}

resource "netbox_ip_address" "gate" {
  ip_address          = "10.20.1.15/24"
  device_interface_id = netbox_device_interface.gate.id
}

resource "netbox_manufacturer" "axis" {
  name = "Axis Communications"
}

resource "netbox_device_type" "dome" {
  model           = "P3265-LVE"
  manufacturer_id = netbox_manufacturer.axis.id
}

resource "netbox_device" "lobby" {
  name           = "lobby-cam"
  device_type_id = netbox_device_type.dome.id
}

resource "netbox_device_interface" "lobby" {
  name      = "eth0"
  device_id = netbox_device.lobby.id
}

resource "netbox_ip_address" "lobby" {
  ip_address          = "10.30.5.20/24"
  device_interface_id = netbox_device_interface.lobby.id
}
