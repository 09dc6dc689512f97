resource "unifi_network" "secure_ops" {
  name    = "SECURE-OPS"
  purpose = "corporate"
  subnet  = "10.30.0.0/24"
}

module "lobby" {
  source     = "./modules/camera"
  name       = "lobby-camera"
  mac        = "44:19:b6:3c:10:0a"
  ip         = "10.30.0.21"
  network_id = unifi_network.secure_ops.id
}

module "dock" {
  source     = "./modules/camera"
  name       = "dock-camera"
  mac        = "00:40:8c:51:20:07"
  ip         = "10.30.0.22"
  network_id = unifi_network.secure_ops.id
}
