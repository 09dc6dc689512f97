locals {
  zone_tags = {
    owner          = "estates"
    security_zone  = "restricted"
  }
}

resource "acme_segment" "plant" {
  name = "plant-floor"
  cidr = "172.20.8.0/24"

  dynamic "tag" {
    for_each = local.zone_tags
    content {
      key   = tag.key
      value = tag.value
    }
  }
}

resource "acme_camera" "gate" {
  name         = "plant-gate"
  manufacturer = "Dahua"
  ip_address   = "172.20.8.31"
}
