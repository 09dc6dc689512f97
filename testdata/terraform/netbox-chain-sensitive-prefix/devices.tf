resource "netbox_manufacturer" "hik" {
  name = "Hikvision"
}

resource "netbox_device_type" "bullet" {
  model           = "DS-2CD2143G2-I"
  manufacturer_id = netbox_manufacturer.hik.id
}

resource "netbox_device" "gate_cam" {
  name           = "gate-cam-01"
  device_type_id = netbox_device_type.bullet.id
  site_id        = 3
  role_id        = 4
}

resource "netbox_device_interface" "gate_cam" {
  name      = "eth0"
  device_id = netbox_device.gate_cam.id
  type      = "1000base-t"
}

resource "netbox_ip_address" "gate_cam" {
  ip_address          = "10.20.1.15/24"
  device_interface_id = netbox_device_interface.gate_cam.id
}
