variable "models" {
  default = [
    { maker = "Hikvision", model = "DS-2CD2143G2-I" },
    { maker = "Axis", model = "M3106-L Mk II" },
  ]
}

resource "netbox_prefix" "vault" {
  prefix = "10.40.2.0/24"
  tags   = ["restricted"]
}

resource "netbox_manufacturer" "m" {
  count = length(var.models)
  name  = var.models[count.index].maker
}

resource "netbox_device_type" "t" {
  count           = length(var.models)
  model           = var.models[count.index].model
  manufacturer_id = netbox_manufacturer.m[count.index].id
}

resource "netbox_device" "cam" {
  count          = 2
  name           = "vault-cam-${count.index}"
  device_type_id = netbox_device_type.t[count.index].id
}

resource "netbox_device_interface" "eth" {
  count     = 2
  name      = "eth0"
  device_id = netbox_device.cam[count.index].id
}

resource "netbox_ip_address" "ip" {
  count               = 2
  ip_address          = "10.40.2.${10 + count.index}/24"
  device_interface_id = netbox_device_interface.eth[count.index].id
}
