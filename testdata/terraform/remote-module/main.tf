module "cameras" {
  source  = "acme/cctv/netbox"
  version = "2.1.0"
  site    = "hq"
}

module "nvr" {
  source = "git::https://example.com/infra/nvr.git?ref=v1.4.0"
}

module "missing" {
  source = "./modules/not-here"
}
