resource "acme_segment" "lab" {
  name = "lab"
  cidr = "172.16.5.0/24"
  tags = {
    owner       = "facilities"
    sensitivity = "high"
  }
}

resource "acme_camera" "door" {
  name         = "lab-door"
  manufacturer = "Dahua"
  model        = "IPC-HFW2228M-I1-V2"
  ip_address   = "172.16.5.44"
}
