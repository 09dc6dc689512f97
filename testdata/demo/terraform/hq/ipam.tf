# IP address management for the HQ campus (NetBox).

resource "netbox_tag" "sensitive" {
  name = "sensitive"
}

resource "netbox_vlan" "ops" {
  name = "SECURE-OPS"
  vid  = 110
}

resource "netbox_prefix" "ops" {
  prefix      = "10.20.110.0/24"
  description = "Operations centre cameras"
  vlan_id     = netbox_vlan.ops.id
  tags        = [netbox_tag.sensitive.name]
}

resource "netbox_prefix" "car_park" {
  prefix      = "10.20.120.0/24"
  description = "Car park and perimeter"
}
