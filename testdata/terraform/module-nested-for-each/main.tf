resource "netbox_manufacturer" "hik" {
  name = "Hikvision"
}

resource "netbox_manufacturer" "axis" {
  name = "Axis"
}

resource "netbox_device_type" "dome" {
  model           = "DS-2CD2143G2-I"
  manufacturer_id = netbox_manufacturer.hik.id
}

resource "netbox_device_type" "bullet" {
  model           = "P1465-LE"
  manufacturer_id = netbox_manufacturer.axis.id
}

resource "netbox_prefix" "control" {
  prefix      = "10.50.0.0/16"
  description = "plant control"
  tags        = ["sensitive"]
}

locals {
  sites = {
    north = { type_id = netbox_device_type.dome.id, ip = "10.50.1.10" }
    south = { type_id = netbox_device_type.bullet.id, ip = "10.50.2.10" }
  }
}

module "site" {
  for_each = local.sites
  source   = "./modules/site"
  site     = each.key
  type_id  = each.value.type_id
  ip       = each.value.ip
}
