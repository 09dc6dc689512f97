resource "netbox_prefix" "ops" {
  prefix = "10.80.0.0/24"
  tags   = ["sensitive"]
}

resource "netbox_device_role" "camera" {
  name = "CCTV camera"
}

resource "netbox_device" "mystery" {
  name    = "loading-bay-3"
  role_id = netbox_device_role.camera.id
}

resource "netbox_device_interface" "mystery" {
  name      = "eth0"
  device_id = netbox_device.mystery.id
}

resource "netbox_ip_address" "mystery" {
  ip_address          = "10.80.0.40/24"
  device_interface_id = netbox_device_interface.mystery.id
}
