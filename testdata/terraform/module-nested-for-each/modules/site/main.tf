variable "site" {}
variable "type_id" {}
variable "ip" {}

module "camera" {
  source  = "../camera"
  name    = "${var.site}-gate-cam"
  type_id = var.type_id
  ip      = var.ip
}
