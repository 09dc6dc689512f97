# Makers, subsidiaries, brands and OEMs that the packs restrict, with the
# evidence for each link. Compiled from public sources; see the `sources`
# of each entry. `restricted_by` is inherited from the parent unless set.
# Model patterns are Rust regexes, matched case-insensitively. A model
# with `requires_context = true` counts only when something else about the
# device names the same maker group; one with a `family` (a prefix several
# makers share, like `IPC-`) needs that context outside an explicit model
# field. `fingerprints` are literal strings (any case) that only this
# vendor's products put in configs: stream and API paths, SNMP enterprise
# OIDs, HTTP banners, ONVIF scope names, cloud domains; each is evidence.
# `weak_fingerprints` (ports, generic page markers) never decide a maker and
# only supply context. `kinds` lists what the vendor makes, main line first:
# a device of unknown kind is judged as its maker's main line, so a
# Hikvision device of unknown kind is treated as a camera and a Huawei one
# as network equipment.

vendor "hikvision" {
  name       = "Hikvision"
  relation   = "maker"
  confidence = "high"
  aliases    = [
    "Hikvision",
    "Hik Vision",
    "Hangzhou Hikvision",
    "Hikvision Digital Technology",
    "Hik-Connect",
  ]
  oui_organizations = [
    "Hangzhou Hikvision Digital Technology Co.,Ltd.",
  ]
  fingerprints = [
    "/ISAPI/",
    "/Streaming/Channels/",
    "/h264/ch1/main/av_stream",
    "/SDK/webLanguage",
    "1.3.6.1.4.1.39165",
    "enterprises.39165",
    "App-webs/",
    "DNVRS-Webs",
    "DVRDVS-Webs",
    "DVS-Webs",
    "Hikvision-Webs",
    "onvif.org/name/HIKVISION",
    "hik-connect.com",
    "hik-cloud.com",
    "hikiot.com",
  ]
  weak_fingerprints = [
    "/PSIA/",
    ":8000",
    "port 8000",
  ]
  kinds      = [
    "camera",
    "nvr",
    "dvr",
    "encoder",
    "intercom",
    "access-control",
    "network",
  ]
  restricted_by = ["uk-prc-nil", "us-fcc-covered"]
  sources    = [
    "https://www.fcc.gov/supplychain/coveredlist",
    "https://www.acquisition.gov/far/52.204-25",
    "Hikvision annual reports",
  ]

  model {
    pattern = "\\bi?DS-2(?:CD|DE|DF|CE|CV|TD|XS|XE|XM|SE|DY|PT|FE|DP)[0-9A-Z]{2,}[A-Z0-9()/+-]*"
    kind    = "camera"
    # camera/PTZ/thermal: e.g. DS-2CD2143G2-I;iDS-2CD7A47G2-XZHSY;DS-2DE4A425IW-DE(S6); false positives: very low
  }

  model {
    pattern = "\\bi?DS-(?:7[1-9]|8\\d|9\\d)\\d{2,3}[A-Z]{1,5}[A-Z0-9()/+-]*"
    kind    = "nvr"
    # DVR/NVR: e.g. DS-7608NI-K2;DS-96128NI-I16;iDS-7208HUHI-M1/S; false positives: low; Brother DS-940DW rejected (needs >=4 digits)
  }

  model {
    pattern = "\\bDS-K[A-Z0-9]{2,}(?:-[A-Z0-9()]+)*"
    kind    = "access-control"
    # access control/intercom: e.g. DS-KV6113-WPE1;DS-K1T341AMF; false positives: low
  }

  model {
    pattern = "\\bDS-3E\\d{4}[A-Z]*(?:-[A-Z0-9]+)*"
    kind    = "network"
    # switch: e.g. DS-3E0524P-E; false positives: low
  }
}

vendor "ezviz" {
  name       = "EZVIZ"
  parent     = "hikvision"
  relation   = "subsidiary"
  confidence = "high"
  aliases    = [
    "EZVIZ",
    "Hangzhou Ezviz",
  ]
  oui_organizations = [
    "Hangzhou Ezviz Software Co.,Ltd.",
  ]
  fingerprints = [
    "ezvizlife.com",
    "eziot.com",
    "ys7.com",
  ]
  kinds      = ["camera"]
  sources    = [
    "Hikvision 2020 annual report; EZVIZ Shanghai listing (Dec 2022)",
  ]

  model {
    pattern = "\\bCS-[A-Z][A-Z0-9]{1,5}(?:-[A-Z0-9]{1,8}){1,4}"
    requires_context = true
    # EZVIZ: e.g. CS-C6N-A0-1C2WFR; false positives: high without 'ezviz' context
  }
}

vendor "hilook" {
  name       = "HiLook"
  parent     = "hikvision"
  relation   = "brand"
  confidence = "medium"
  aliases    = [
    "HiLook",
  ]
  kinds      = ["camera", "nvr", "dvr"]
  sources    = [
    "Hikvision brand (Wikipedia infobox; sales listings)",
  ]

  model {
    pattern = "\\bIPC-[BTD]\\d{3}H[A-Z]*(?:-[A-Z0-9/]+)*"
    kind    = "camera"
    # HiLook IPC: e.g. IPC-B140H;IPC-T280H-UF;IPC-T289H-MU/SL; false positives: shares IPC- prefix with Dahua/Imou
  }
}

vendor "hiwatch" {
  name       = "HiWatch"
  parent     = "hikvision"
  relation   = "brand"
  confidence = "medium"
  aliases    = [
    "HiWatch",
    "Hikvision HiWatch",
  ]
  kinds      = ["camera", "nvr", "dvr"]
  sources    = [
    "Hikvision brand (\"HIKVISION HiWatch\" sales listings)",
  ]

  model {
    pattern = "\\bHW[IPNDTK]-[A-Z0-9]\\d{3,4}[A-Z0-9()/-]*"
    # HiWatch: e.g. HWI-B121H;HWP-N2404IH-DE3(F);HWN-2104MH; false positives: low
  }
}

vendor "hikrobot" {
  name       = "Hikrobot"
  parent     = "hikvision"
  relation   = "affiliate"
  confidence = "high"
  aliases    = [
    "Hikrobot",
    "Hangzhou Hikrobot",
  ]
  oui_organizations = [
    "Hangzhou Hikrobot Technology Co., Ltd.",
  ]
  kinds      = ["camera"]
  sources    = [
    "60% owned by Hikvision; IPO filing 2022",
  ]
}

vendor "hikmicro" {
  name       = "Hikmicro"
  parent     = "hikvision"
  relation   = "affiliate"
  confidence = "medium"
  aliases    = [
    "Hikmicro",
    "Hangzhou Microimage",
  ]
  oui_organizations = [
    "Hangzhou Microimage Software Co., Ltd",
  ]
  kinds      = ["camera"]
  sources    = [
    "IEEE registrant address shared with EZVIZ/Hikrobot (399 Danfeng Rd, Bldg 2)",
  ]
}

vendor "hikstorage" {
  name       = "Hikstorage"
  parent     = "hikvision"
  relation   = "subsidiary"
  confidence = "medium"
  aliases    = [
    "Hikstorage",
  ]
  kinds      = ["nvr"]
  sources    = [
    "Hikvision subsidiary since 2017 (Wikipedia)",
  ]
}

vendor "prama-hikvision" {
  name       = "Prama Hikvision India"
  parent     = "hikvision"
  relation   = "affiliate"
  confidence = "medium"
  aliases    = [
    "Prama Hikvision",
  ]
  oui_organizations = [
    "Prama Hikvision India Private Limited",
  ]
  kinds      = ["camera", "nvr", "dvr"]
  sources    = [
    "Indian joint venture of Hikvision",
  ]
}

vendor "dahua" {
  name       = "Dahua"
  relation   = "maker"
  confidence = "high"
  aliases    = [
    "Dahua",
    "Dahua Technology",
    "Zhejiang Dahua",
    "Dahua Rtsp Server",
  ]
  # The IEEE also spells it "ZHEJIANG DAHUA TECHNOLOGYCO.,LTD"; names are
  # compared after normalisation, which splits the glued "Co.".
  oui_organizations = [
    "Zhejiang Dahua Technology Co., Ltd.",
  ]
  fingerprints = [
    "/cam/realmonitor",
    "/cgi-bin/magicBox.cgi",
    "/RPC2_Login",
    "1.3.6.1.4.1.1004849",
    "enterprises.1004849",
    "onvif.org/name/Dahua",
  ]
  weak_fingerprints = [
    ":37777",
    ":37778",
    "port 37777",
    "@WebVersion@",
    "global.login",
    "<title>WEB SERVICE</title>",
  ]
  kinds      = [
    "camera",
    "nvr",
    "dvr",
    "encoder",
    "intercom",
    "access-control",
  ]
  restricted_by = ["uk-prc-nil", "us-fcc-covered"]
  sources    = [
    "https://www.fcc.gov/supplychain/coveredlist",
    "https://www.acquisition.gov/far/52.204-25",
  ]

  model {
    pattern = "\\bDHI?-(?:IPC|HAC|SD|PTZ|NVR|XVR|HCVR|VTO|VTH|ASI|ASR|PFS|IVSS|EVS|ITC|TPC|DSS)[A-Z0-9-]*"
    # DH-/DHI- prefixed: e.g. DH-IPC-HDW1230T2;DH-XVR5108HS-X; false positives: very low
  }

  model {
    pattern = "\\bIPC-(?:HDBW|HDPW|HDW|HFW|HUM|EBW|EB|EW|PDBW|PDW|PFW|PSDW|MFW|MDW)\\d{4,5}[A-Z0-9]*(?:-[A-Z0-9]+)*"
    kind    = "camera"
    # IP camera: e.g. IPC-HDW2431T-AS-S2;IPC-HFW2228M-I1-V2;IPC-HDBW2433E-ZS; false positives: low; OEMs often keep the Dahua number
  }

  model {
    pattern = "\\bHAC-(?:HFW|HDW|HDBW|HDPW|HUM|ME|PFW|EB)[A-Z0-9]*(?:-[A-Z0-9]+)*"
    kind    = "camera"
    # HDCVI camera: e.g. HAC-HFW1200R; false positives: low
  }

  model {
    pattern = "\\b(?:NVR[2-8]\\d{3}|XVR\\d{4}|HCVR\\d{4})[A-Z]*(?:-[A-Z0-9]+)*"
    kind    = "nvr"
    # recorders: e.g. NVR4104HS-P-4KS2;NVR5216-16P-I;XVR5104HS-I3; false positives: medium; XVR also used by generic PRC DVRs
  }

  model {
    pattern = "\\bSD(?:\\d{1,2}[A-Z]{1,2}\\d{3,4}|\\d{5,6})[A-Z]{0,4}-[A-Z0-9-]+"
    kind    = "camera"
    # PTZ: e.g. SD49425XB-HNR;SD6AL245U-HNI; false positives: medium; requires dash suffix.
    # Narrowed from the researched \bSD\d{1,2}[A-Z]{0,2}\d{3,4}…: Dahua numbers
    # have letters after the series digit or five digits in a row, while
    # Vivotek's SD9364-EHL (four digits) matched the wider form.
  }

  model {
    pattern = "\\bVT[OH]\\d{4}[A-Z]*(?:-[A-Z0-9]+)*"
    kind    = "intercom"
    # door station/indoor monitor: e.g. VTO2202F-P;VTH1550CH-S2; false positives: low-medium
  }
}

vendor "dahua-zhilian" {
  name       = "Dahua Zhilian"
  parent     = "dahua"
  relation   = "affiliate"
  confidence = "medium"
  aliases    = [
    "Dahua Zhilian",
  ]
  oui_organizations = [
    "ZHEJIANG DAHUA ZHILIAN CO.,LTD",
  ]
  kinds      = ["camera"]
  sources    = [
    "Dahua name and Hangzhou IEEE address",
  ]
}

vendor "huaray" {
  name       = "Huaray"
  parent     = "dahua"
  relation   = "affiliate"
  confidence = "medium"
  aliases    = [
    "HuaRay",
    "Zhejiang HuaRay",
  ]
  oui_organizations = [
    "Zhejiang HuaRay Technology Co.,Ltd",
  ]
  kinds      = ["camera"]
  sources    = [
    "Dahua machine-vision affiliate; Hangzhou IEEE address",
  ]
}

vendor "imou" {
  name       = "Imou"
  parent     = "dahua"
  relation   = "former-affiliate"
  confidence = "high"
  aliases    = [
    "Imou",
    "Lechange",
    "Hangzhou Huacheng",
    "Imou Life",
  ]
  oui_organizations = [
    "Hangzhou Huacheng Network Technology Co.,Ltd",
  ]
  fingerprints = [
    "easy4ip.com",
  ]
  kinds      = ["camera"]
  restricted_by = ["uk-prc-nil"]
  sources    = [
    "Dahua notice 2025-008 (3 Mar 2025) announcing the sale of its stake; closing unverified",
  ]
  note       = "A PRC company either way (UK rule); its Dahua affiliation for the FCC list depends on the 2025 sale."

  model {
    pattern = "\\bIPC-(?:GS|GK|[ACFGKS])\\d{1,3}[A-Z]{0,4}(?:-[A-Z0-9]+)*"
    kind    = "camera"
    family  = "IPC-"
    # Imou/Dahua consumer: e.g. IPC-A22EP;IPC-GS7EP;IPC-F22P; false positives: medium; report as Dahua/Imou family.
    # The broadest of the three IPC- patterns (HiLook's needs a trailing H,
    # Dahua's a series word): in free text it needs context.
  }
}

vendor "lorex" {
  name       = "Lorex"
  parent     = "dahua"
  relation   = "former-affiliate"
  confidence = "low"
  aliases    = [
    "Lorex",
    "Lorex Technology",
  ]
  oui_organizations = [
    "Lorex Technology Inc.",
  ]
  kinds      = ["camera", "nvr", "dvr"]
  sources    = [
    "Dahua-owned 2018 to Nov 2022, sold to Skywatch (Taiwan); Texas AG says Dahua still supplies it",
    "rroller/dahua (Home Assistant integration) supports Lorex NVRs through the Dahua API",
  ]
  note       = "Sold in 2022 but still reported as Dahua-supplied: low confidence, so findings are warnings."
}

vendor "luminys" {
  name       = "Luminys"
  parent     = "dahua"
  relation   = "former-affiliate"
  confidence = "low"
  aliases    = [
    "Luminys",
    "Luminys Systems",
  ]
  kinds      = ["camera", "nvr"]
  sources    = [
    "Bought Dahua Technology USA in January 2024 (The Register; Nikkei)",
  ]
  note       = "Successor of Dahua's US business; whether units are still Dahua-made is unverified, so findings are warnings."
}

vendor "amcrest" {
  name       = "Amcrest"
  parent     = "dahua"
  relation   = "oem"
  confidence = "medium"
  aliases    = [
    "Amcrest",
  ]
  oui_organizations = [
    "Amcrest Technologies",
  ]
  kinds      = ["camera", "nvr"]
  sources    = [
    "python-amcrest#114 (same API as Dahua); Dahua OUI 90:02:A9 on Amcrest units (CamioCam paths.csv)",
  ]
}

vendor "lts" {
  name       = "LTS"
  parent     = "hikvision"
  relation   = "oem"
  confidence = "medium"
  aliases    = [
    "LTS Security",
    "LT Security",
    "Platinum LTS",
  ]
  oui_organizations = [
    "LT Security Inc",
  ]
  kinds      = ["camera", "nvr", "dvr"]
  sources    = [
    "CamioCam/rtsp#224 \"LTS (hikvision oem)\"",
  ]
}

vendor "annke" {
  name       = "Annke"
  parent     = "hikvision"
  relation   = "oem"
  confidence = "medium"
  aliases    = [
    "Annke",
  ]
  kinds      = ["camera", "nvr", "dvr"]
  sources    = [
    "ch-bas/cctv-camera-database PR#49; Hikvision ISAPI compatibility",
  ]
}

vendor "truvision" {
  name       = "Interlogix TruVision"
  parent     = "hikvision"
  relation   = "oem"
  confidence = "medium"
  aliases    = [
    "TruVision",
    "Interlogix TruVision",
  ]
  kinds      = ["camera", "nvr", "dvr"]
  sources    = [
    "ch-bas/cctv-camera-database PR#262 \"Hik-OEM, confirmed\"",
  ]
}

vendor "laview" {
  name       = "LaView"
  parent     = "hikvision"
  relation   = "oem"
  confidence = "low"
  aliases    = [
    "LaView",
  ]
  kinds      = ["camera", "nvr"]
  sources    = [
    "homebridge-camera-ffmpeg#731",
  ]
}

vendor "alibi" {
  name       = "Alibi (Observint)"
  parent     = "hikvision"
  relation   = "oem"
  confidence = "low"
  aliases    = [
    "Alibi Security",
    "Observint",
  ]
  oui_organizations = [
    "Observint Technologies, Inc.",
  ]
  kinds      = ["camera", "nvr"]
  sources    = [
    "ch-bas#268 OEM list; OUI cited next to LTS (CamioCam)",
  ]
}

vendor "honeywell-dahua" {
  name       = "Honeywell (Dahua-made lines)"
  parent     = "dahua"
  relation   = "oem"
  confidence = "low"
  aliases    = [
    "Honeywell Performance Series",
  ]
  kinds      = ["camera", "nvr"]
  sources    = [
    "IPVM public report: Dahua UI and Dahua software detects the units as Dahua",
  ]
  note       = "Only some Honeywell lines; plain \"Honeywell\" is not evidence."
}

vendor "flir-dnr" {
  name       = "FLIR DNR / GenIV (Dahua-made)"
  parent     = "dahua"
  relation   = "oem"
  confidence = "low"
  aliases    = [
    "FLIR DNR",
    "FLIR GenIV",
    "FLIR Gen IV",
  ]
  kinds      = ["nvr", "camera"]
  sources    = [
    "CamioCam/rtsp paths.csv: FLIR DNR NVRs and GenIV cameras with a Dahua OUI and the Dahua RTSP path",
  ]
  note       = "Only the DNR recorders and GenIV cameras; other FLIR (Teledyne FLIR) products are not Dahua-made."
}

vendor "rvi" {
  name       = "RVi"
  parent     = "dahua"
  relation   = "oem"
  confidence = "low"
  aliases    = [
    "RVi Group",
  ]
  kinds      = ["camera", "nvr"]
  sources    = [
    "ch-bas/cctv-camera-database#268 OEM list (Dahua lineage)",
  ]

  model {
    pattern = "\\bRVi-[0-9A-Z]{3,}(?:-[A-Z0-9()]+)*"
    kind    = "camera"
    # e.g. RVi-1NCD2062, RVi-1NCE4030
  }
}

vendor "uniview" {
  name       = "Uniview"
  relation   = "maker"
  confidence = "high"
  aliases    = [
    "Uniview",
    "UNV",
    "Zhejiang Uniview",
    "Uniarch",
  ]
  oui_organizations = [
    "Zhejiang Uniview Technologies Co., Ltd.",
  ]
  fingerprints = [
    "/unicast/c1/s0/live",
    "1.3.6.1.4.1.39747",
    "enterprises.39747",
    "onvif.org/name/Uniview",
  ]
  weak_fingerprints = [
    "/media/video1",
  ]
  kinds      = ["camera", "nvr"]
  restricted_by = ["uk-prc-nil"]
  sources    = [
    "PRC-domiciled (Hangzhou); no US list entry found",
  ]

  model {
    pattern = "\\bIPC[2368]\\d{2,4}[A-Z]{1,4}\\d?(?:-[A-Z0-9]+)+"
    kind    = "camera"
    # IP camera: e.g. IPC3614SB-ADF40KM;IPC322SR-VSP28;IPC2124LB-SF28KM-G;IPC6322SR-X22P-C; false positives: 'IPC' generic; dash suffix required
  }

  model {
    pattern = "\\bNVR[35]0\\d-\\d{2}[A-Z0-9-]*"
    kind    = "nvr"
    # NVR: e.g. NVR301-04S3-P4;NVR302-08S; false positives: medium
  }
}

vendor "tiandy" {
  name       = "Tiandy"
  relation   = "maker"
  confidence = "high"
  aliases    = [
    "Tiandy",
    "Tiandy Technologies",
  ]
  oui_organizations = [
    "Tiandy Technologies Co.,LTD",
  ]
  fingerprints = [
    "1.3.6.1.4.1.60913",
    "enterprises.60913",
  ]
  kinds      = ["camera", "nvr"]
  restricted_by = ["uk-prc-nil"]
  sources    = [
    "BIS Entity List (Dec 2022); PRC-domiciled (Tianjin)",
  ]

  model {
    pattern = "\\bTC-(?:NCL|NC|NR|C|R|A|H)\\d{2,4}[A-Z0-9]*(?:-[A-Z0-9]+)*"
    kind    = "camera"
    requires_context = true
    # cameras/NVR: e.g. TC-C32WP;TC-NC9401S3E-MP-E-I3;TC-R3105; false positives: medium-high; require context
  }
}

vendor "hytera" {
  name       = "Hytera"
  relation   = "maker"
  confidence = "high"
  aliases    = [
    "Hytera",
    "Hytera Communications",
  ]
  oui_organizations = [
    "Hytera Communications Co .,ltd",
    "Hytera Communications Corporation Limited",
  ]
  fingerprints = [
    "1.3.6.1.4.1.40297",
    "1.3.6.1.4.1.46055",
    "1.3.6.1.4.1.58597",
    "enterprises.40297",
    "enterprises.46055",
    "enterprises.58597",
  ]
  kinds      = ["radio", "camera"]
  restricted_by = ["uk-prc-nil", "us-fcc-covered"]
  sources    = [
    "https://www.fcc.gov/supplychain/coveredlist",
  ]

  model {
    pattern = "\\b(?:PD|MD|HP|HM|RD|HR|PT|MT|PNC|VM)\\d{3,4}[A-Z]{0,3}\\b"
    kind    = "radio"
    requires_context = true
    # radios/repeaters/bodycams: e.g. PD785;MD785G;RD985;PT580H; false positives: HIGH (e.g. PD100W); require 'Hytera' nearby
  }
}

vendor "sepura" {
  name       = "Sepura"
  parent     = "hytera"
  relation   = "subsidiary"
  confidence = "medium"
  aliases    = [
    "Sepura",
  ]
  oui_organizations = [
    "Sepura Limited",
  ]
  fingerprints = [
    "1.3.6.1.4.1.46904",
    "enterprises.46904",
  ]
  kinds      = ["radio"]
  restricted_by = ["us-fcc-covered"]
  sources    = [
    "Hytera bought Sepura in 2017 (urgentcomm); current ownership unverified",
  ]
}

vendor "teltronic" {
  name       = "Teltronic"
  parent     = "hytera"
  relation   = "subsidiary"
  confidence = "medium"
  aliases    = [
    "Teltronic S.A.U.",
  ]
  oui_organizations = [
    "Teltronic S.A.U.",
  ]
  fingerprints = [
    "1.3.6.1.4.1.22488",
    "enterprises.22488",
  ]
  kinds      = ["radio"]
  restricted_by = ["us-fcc-covered"]
  sources    = [
    "Owned by Sepura since 2015",
  ]
}

vendor "norsat" {
  name       = "Norsat"
  parent     = "hytera"
  relation   = "subsidiary"
  confidence = "low"
  aliases    = [
    "Norsat",
    "Norsat International",
  ]
  oui_organizations = [
    "Norsat International Inc.",
  ]
  kinds      = ["network", "radio"]
  restricted_by = ["us-fcc-covered"]
  sources    = [
    "Hytera's 2017 purchase of Norsat (urgentcomm); current ownership unverified",
  ]
}

vendor "huawei" {
  name       = "Huawei"
  relation   = "maker"
  confidence = "high"
  aliases    = [
    "Huawei",
    "Huawei Technologies",
    "Huawei Versatile Routing Platform",
  ]
  oui_organizations = [
    "Huawei Technologies Co., Ltd.",
    "Huawei Symantec Technologies Co.,Ltd.",
  ]
  fingerprints = [
    "1.3.6.1.4.1.2011",
    "enterprises.2011",
  ]
  kinds      = ["network", "camera"]
  restricted_by = ["uk-prc-nil", "us-fcc-covered"]
  sources    = [
    "https://www.fcc.gov/supplychain/coveredlist",
    "FCC 22-84 (also covers Huawei video surveillance equipment)",
  ]

  # Switches, routers, firewalls, access points and transport gear; the
  # numbers are generic, so a Huawei word must be nearby.
  model {
    pattern = "\\b(?:S\\d{4}|CE\\d{4,5}|AR\\d{3,4}|NE\\d{2,3}E?|USG\\d{4}|AirEngine ?\\d{4}|OptiX)[A-Z0-9-]*"
    kind    = "network"
    requires_context = true
  }
}

vendor "huawei-device" {
  name       = "Huawei Device"
  parent     = "huawei"
  relation   = "subsidiary"
  confidence = "high"
  aliases    = [
    "Huawei Device",
  ]
  oui_organizations = [
    "Huawei Device Co., Ltd.",
  ]
  kinds      = ["network"]
  sources    = [
    "Huawei's consumer-devices subsidiary (phones, tablets, home routers); IEEE registrant",
  ]
}

vendor "holosens" {
  name       = "Huawei HoloSens"
  parent     = "huawei"
  relation   = "brand"
  confidence = "high"
  aliases    = [
    "HoloSens",
    "Huawei HoloSens",
  ]
  kinds      = ["camera", "nvr"]
  sources    = [
    "Huawei's intelligent video surveillance brand (huawei.com)",
  ]
}

vendor "hisilicon" {
  name       = "HiSilicon"
  parent     = "huawei"
  relation   = "subsidiary"
  # The link to Huawei is certain, but a HiSilicon OUI on a camera names the
  # chip, not who made the camera: low, so such findings are warnings.
  confidence = "low"
  aliases    = [
    "HiSilicon",
  ]
  oui_organizations = [
    "Hisilicon Technologies Co., Ltd",
  ]
  kinds      = []
  restricted_by = ["uk-prc-nil", "us-fcc-covered"]
  sources    = [
    "Huawei chip unit",
  ]
  note       = "Its SoCs are common in OEM cameras; a HiSilicon OUI marks a component, not the camera maker."
}

vendor "zte" {
  name       = "ZTE"
  relation   = "maker"
  confidence = "high"
  aliases    = [
    "ZTE",
    "ZTE Corporation",
    "Zhongxing Telecom",
  ]
  oui_organizations = [
    "Nubia Technology Co.,Ltd.",
    "SHANGHAI ZTE TECHNOLOGIES CO.,LTD",
    "ZHONGXING TELECOM LTD.",
    "zte corporation",
  ]
  fingerprints = [
    "1.3.6.1.4.1.3902",
    "enterprises.3902",
  ]
  kinds      = ["network"]
  restricted_by = ["uk-prc-nil", "us-fcc-covered"]
  sources    = [
    "https://www.fcc.gov/supplychain/coveredlist",
  ]

  model {
    pattern = "\\bZX(?:HN|A10|R10|V10|CTN|MP|SDR|UN)[ -]?[A-Z0-9]+"
    kind    = "network"
    # carrier/CPE: e.g. ZXHN F660;ZXR10 5950; false positives: low
  }
}

# PRC makers of visual surveillance on no US list: the UK statement's test is
# PRC domicile, so `uk-prc-nil` restricts them.

vendor "kedacom" {
  name       = "Kedacom"
  relation   = "maker"
  confidence = "medium"
  aliases    = [
    "Kedacom",
    "Suzhou Keda",
  ]
  oui_organizations = [
    "Suzhou Keda Technology CO.,Ltd",
  ]
  kinds      = ["camera", "nvr"]
  restricted_by = ["uk-prc-nil"]
  sources    = [
    "PRC-domiciled (Suzhou) video surveillance maker; IEEE registrant address",
  ]
}

vendor "milesight" {
  name       = "Milesight"
  relation   = "maker"
  confidence = "medium"
  aliases    = [
    "Milesight",
    "Xiamen Milesight",
  ]
  oui_organizations = [
    "Xiamen Milesight IoT Co., Ltd.",
    "Milesight Taiwan",
  ]
  kinds      = ["camera", "nvr", "network"]
  restricted_by = ["uk-prc-nil"]
  sources    = [
    "PRC-domiciled (Xiamen) camera maker; markets NDAA compliance; IEEE registrant",
  ]

  model {
    pattern = "\\bMS-C\\d{4}-[A-Z0-9]+(?:-[A-Z0-9]+)*"
    kind    = "camera"
    # e.g. MS-C2963-PB, MS-C8165-PA
  }
}

vendor "sunell" {
  name       = "Sunell"
  relation   = "maker"
  confidence = "medium"
  aliases    = [
    "Sunell",
    "Sunell Electronics",
  ]
  oui_organizations = [
    "Sunell Electronics Co.",
  ]
  kinds      = ["camera", "nvr"]
  restricted_by = ["uk-prc-nil"]
  sources    = [
    "PRC-domiciled (Shenzhen) camera maker; IEEE registrant",
  ]
}

vendor "jovision" {
  name       = "Jovision"
  relation   = "maker"
  confidence = "medium"
  aliases    = [
    "Jovision",
  ]
  oui_organizations = [
    "Jinan Jovision Science & Technology Co., Ltd.",
    "Jovision Technology Co., Ltd.",
  ]
  kinds      = ["camera", "nvr"]
  restricted_by = ["uk-prc-nil"]
  sources    = [
    "PRC-domiciled (Jinan) camera maker; IEEE registrant",
  ]
}

vendor "tvt" {
  name       = "TVT"
  relation   = "maker"
  confidence = "medium"
  aliases    = [
    "TVT Digital",
    "Shenzhen TVT",
  ]
  kinds      = ["camera", "nvr", "dvr"]
  restricted_by = ["uk-prc-nil"]
  sources    = [
    "PRC-domiciled (Shenzhen) camera and recorder maker",
  ]
}

vendor "xiongmai" {
  name       = "Xiongmai"
  relation   = "maker"
  confidence = "medium"
  aliases    = [
    "Xiongmai",
    "Hangzhou Xiongmai",
    "XMEye",
  ]
  kinds      = ["camera", "dvr", "nvr"]
  restricted_by = ["uk-prc-nil"]
  sources    = [
    "PRC-domiciled (Hangzhou) camera and DVR maker; XMEye is its cloud service",
  ]
}

vendor "allnet-neutron" {
  name       = "ALLNET / Neutron (Uniview-made)"
  parent     = "uniview"
  relation   = "oem"
  confidence = "low"
  aliases    = [
    "ALLNET ALL-CAM",
    "Neutron IP camera",
  ]
  kinds      = ["camera"]
  sources    = [
    "ch-bas/cctv-camera-database#268 OEM list",
  ]
  note       = "Only their camera lines; ALLNET's network products are not Uniview-made."

  model {
    pattern = "\\bALL-CAM\\d{4}[A-Z0-9-]*"
    kind    = "camera"
  }
}

# On the FCC Covered List since 22 Dec 2025 (communications and video
# equipment of foreign-produced drones; FY25 NDAA section 1709).

vendor "dji" {
  name       = "DJI"
  relation   = "maker"
  confidence = "high"
  aliases    = [
    "DJI",
    "SZ DJI",
  ]
  oui_organizations = [
    "SZ DJI TECHNOLOGY CO.,LTD",
    "DJI BAIWANG TECHNOLOGY CO LTD",
    "SZ DJI Ronin Technology Co., Ltd",
    "DJI Osmo Technology Co., Ltd",
  ]
  kinds      = []
  restricted_by = ["us-fcc-covered"]
  sources    = [
    "FCC Covered List update of 22 Dec 2025 (pillsburylaw.com, goodwinlaw.com)",
  ]
}

vendor "autel" {
  name       = "Autel Robotics"
  relation   = "maker"
  confidence = "high"
  aliases    = [
    "Autel Robotics",
  ]
  oui_organizations = [
    "Autel Robotics USA LLC",
    "Autel lntelligent Technology Corp.,Ltd",
  ]
  kinds      = []
  restricted_by = ["us-fcc-covered"]
  sources    = [
    "FCC Covered List update of 22 Dec 2025 (pillsburylaw.com, goodwinlaw.com)",
  ]
}
