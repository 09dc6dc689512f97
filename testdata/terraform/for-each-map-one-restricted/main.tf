locals {
  cameras = {
    dock = {
      mac = "00:40:8c:51:20:07"
      ip  = "10.30.0.22"
    }
    lobby = {
      mac = "44:19:b6:3c:10:0a"
      ip  = "10.30.0.21"
    }
  }
}

resource "unifi_network" "secure_ops" {
  name    = "SECURE-OPS"
  purpose = "corporate"
  subnet  = "10.30.0.0/24"
}

resource "unifi_user" "camera" {
  for_each   = local.cameras
  name       = "${each.key}-camera"
  mac        = each.value.mac
  fixed_ip   = each.value.ip
  network_id = unifi_network.secure_ops.id
}
