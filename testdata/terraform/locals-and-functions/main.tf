locals {
  site     = "hq"
  base     = "10.110.0.0/16"
  ops_cidr = cidrsubnet(local.base, 8, 3)
  vendors  = { gate = "HIKVISION", lobby = "Axis" }
}

resource "netbox_prefix" "ops" {
  prefix      = local.ops_cidr
  description = format("%s-secure-ops", upper(local.site))
}

resource "netbox_manufacturer" "gate" {
  name = title(lower(local.vendors["gate"]))
}

resource "netbox_device_type" "gate" {
  model           = join("-", ["DS", "2CD2143G2", "I"])
  manufacturer_id = netbox_manufacturer.gate.id
}

resource "netbox_device" "gate" {
  name           = "${local.site}-gate-cam"
  device_type_id = netbox_device_type.gate.id
}

resource "netbox_device_interface" "gate" {
  name      = "eth0"
  device_id = netbox_device.gate.id
}

resource "netbox_ip_address" "gate" {
  ip_address          = "${cidrhost(local.ops_cidr, 20)}/24"
  device_interface_id = netbox_device_interface.gate.id
}
