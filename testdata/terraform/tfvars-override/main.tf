resource "netbox_prefix" "vault" {
  prefix = "10.40.2.0/24"
  tags   = ["restricted"]
}

resource "netbox_manufacturer" "cam" {
  name = var.camera_vendor
}

resource "netbox_device_type" "cam" {
  model           = "generic dome"
  manufacturer_id = netbox_manufacturer.cam.id
}

resource "netbox_device" "vault_cam" {
  name           = "vault-cam"
  device_type_id = netbox_device_type.cam.id
}

resource "netbox_device_interface" "vault_cam" {
  name      = "eth0"
  device_id = netbox_device.vault_cam.id
}

resource "netbox_ip_address" "vault_cam" {
  ip_address          = "${var.camera_ip}/24"
  device_interface_id = netbox_device_interface.vault_cam.id
}
