variable "name" {}
variable "type_id" {}
variable "ip" {}

resource "netbox_device" "this" {
  name           = var.name
  device_type_id = var.type_id
}

resource "netbox_device_interface" "eth0" {
  name      = "eth0"
  device_id = netbox_device.this.id
}

resource "netbox_ip_address" "this" {
  ip_address          = "${var.ip}/16"
  device_interface_id = netbox_device_interface.eth0.id
}
