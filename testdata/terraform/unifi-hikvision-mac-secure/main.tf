resource "unifi_network" "secure_ops" {
  name    = "SECURE-OPS"
  purpose = "corporate"
  subnet  = "10.30.0.0/24"
  vlan_id = 30
}

resource "unifi_user" "lobby_cam" {
  name       = "lobby-camera"
  mac        = "44:19:b6:3c:10:0a"
  fixed_ip   = "10.30.0.21"
  network_id = unifi_network.secure_ops.id
  note       = "PoE port 7"
}
