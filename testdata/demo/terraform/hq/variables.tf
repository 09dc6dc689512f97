variable "gate_camera_model" {
  type    = string
  default = "P1455-LE"
}
