variable "gate_cam_mac" {
  type = string
}

resource "unifi_network" "secure_ops" {
  name    = "SECURE-OPS"
  purpose = "corporate"
  subnet  = "10.30.0.0/24"
}

resource "unifi_user" "gate" {
  name       = "gate-01"
  mac        = var.gate_cam_mac
  fixed_ip   = "10.30.0.40"
  network_id = unifi_network.secure_ops.id
}

module "yard" {
  source     = "acme/cctv/unifi"
  version    = "1.2.0"
  network_id = unifi_network.secure_ops.id
}
