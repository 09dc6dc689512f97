variable "camera_vendor" {
  type    = string
  default = "Axis"
}

variable "camera_ip" {
  type = string
}
