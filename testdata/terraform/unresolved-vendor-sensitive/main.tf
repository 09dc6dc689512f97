variable "gate_cam_mac" {
  type        = string
  description = "set by the site installer"
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

# Same unknown MAC, but on a network nobody marked sensitive: no finding.
resource "unifi_network" "guest" {
  name    = "GUEST"
  purpose = "guest"
  subnet  = "10.99.0.0/24"
}

resource "unifi_user" "kiosk" {
  name       = "kiosk-01"
  mac        = var.gate_cam_mac
  network_id = unifi_network.guest.id
}
