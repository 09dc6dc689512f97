# US: the FCC Covered List (47 CFR 1.50002) and NDAA FY2019 section 889.
pack "us-fcc-covered" {
  title       = "US: FCC Covered List / NDAA section 889"
  description = "Video surveillance and telecommunications equipment produced by Hytera, Hikvision and Dahua (and their subsidiaries and affiliates), and telecommunications equipment produced by Huawei and ZTE, for the purposes named in NDAA FY2019 section 889(f)(3)."
  sources = [
    "https://www.fcc.gov/supplychain/coveredlist",
    "https://www.acquisition.gov/far/52.204-25",
  ]
}
