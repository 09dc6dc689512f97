variable "dome_maker" {
  type = string
}

data "netbox_manufacturer" "hik" {
  name = "Hikvision"
}

data "netbox_manufacturer" "dome" {
  name = var.dome_maker
}

resource "netbox_prefix" "ops" {
  prefix      = "10.20.1.0/24"
  description = "Operations cameras"
  tags        = ["sensitive"]
}

resource "netbox_device_type" "bullet" {
  model           = "bullet-4mp"
  manufacturer_id = data.netbox_manufacturer.hik.id
}

resource "netbox_device_type" "dome" {
  model           = "dome-2mp"
  manufacturer_id = data.netbox_manufacturer.dome.id
}

resource "netbox_device" "gate" {
  name           = "gate-01"
  device_type_id = netbox_device_type.bullet.id
  primary_ipv4   = "10.20.1.15"
}

resource "netbox_device" "yard" {
  name           = "yard-01"
  device_type_id = netbox_device_type.dome.id
  primary_ipv4   = "10.20.1.16"
}
