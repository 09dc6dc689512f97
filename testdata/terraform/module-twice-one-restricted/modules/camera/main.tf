variable "name" {
  type = string
}

variable "mac" {
  type = string
}

variable "ip" {
  type = string
}

variable "network_id" {
  type = string
}

resource "unifi_user" "cam" {
  name       = var.name
  mac        = var.mac
  fixed_ip   = var.ip
  network_id = var.network_id
}

output "id" {
  value = unifi_user.cam.id
}
