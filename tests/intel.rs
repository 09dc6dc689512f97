//! Vendor intelligence measured against the researched data in
//! `testdata/intel/`: every restricted MAC block and model-number example
//! must be identified as its maker, every safe device must be identified as
//! restricted zero times, and every restricted vendor entry must make a rule
//! fire. The big tables call `intel::identify` directly; the gate itself is
//! exercised end to end through `camlint::run` on generated files.

// Helpers outside `#[test]` functions unwrap and index too: a test file.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use std::collections::BTreeMap;
use std::sync::LazyLock;

use camlint::intel::{Identity, Maker, identify};
use camlint::model::{Device, Signal, Span};
use camlint::policy::{self, Policy};

const RESTRICTED_OUIS: &str = include_str!("../testdata/intel/restricted_ouis.csv");
const MODEL_REGEXES: &str = include_str!("../testdata/intel/model_regexes.tsv");
const SAFE_DEVICES: &str = include_str!("../testdata/intel/safe_devices.tsv");

static POLICY: LazyLock<Policy> =
    LazyLock::new(|| policy::load(&policy::LoadOptions::default()).unwrap());

fn device(facts: &[(Signal, &str)]) -> Device {
    let mut d = Device::new("probe", Span::default());
    for (signal, value) in facts {
        d.fact(*signal, *value, Span::default(), "field");
    }
    d
}

fn id_of(facts: &[(Signal, &str)]) -> Identity {
    identify(&device(facts), &POLICY.vendors, &POLICY.kinds)
}

/// (vendor id, maker group id) of the deciding maker, if it is a known one.
fn vendor(identity: &Identity) -> Option<(String, String)> {
    match identity.maker {
        Some(Maker::Known(i)) => {
            let v = POLICY.vendors.get(i)?;
            let g = POLICY.vendors.get(POLICY.vendors.group_of(i))?;
            Some((v.id.clone(), g.id.clone()))
        }
        _ => None,
    }
}

fn restricted(identity: &Identity) -> bool {
    match identity.maker {
        Some(Maker::Known(i)) => !POLICY.restricted_by(i).is_empty(),
        _ => false,
    }
}

/// `restricted_ouis.csv` vendor keys of the makers camlint restricts, and
/// the vendor entry each must be identified as.
const OUI_VENDORS: &[(&str, &str)] = &[
    ("hikvision", "hikvision"),
    ("hikvision.ezviz", "ezviz"),
    ("hikvision.hikmicro", "hikmicro"),
    ("hikvision.hikrobot", "hikrobot"),
    ("hikvision.prama_india", "prama-hikvision"),
    ("dahua", "dahua"),
    ("dahua.imou", "imou"),
    ("dahua.zhilian", "dahua-zhilian"),
    ("dahua.huaray", "huaray"),
    ("uniview", "uniview"),
    ("tiandy", "tiandy"),
    ("hytera", "hytera"),
    ("hytera.sepura", "sepura"),
    ("hytera.teltronic", "teltronic"),
    ("hytera.norsat", "norsat"),
    ("huawei", "huawei"),
    ("huawei.device", "huawei-device"),
    ("huawei.hisilicon", "hisilicon"),
    ("huawei.symantec", "huawei"),
    ("zte", "zte"),
    ("zte.nubia", "zte"),
    ("zte.shanghai", "zte"),
    ("dji", "dji"),
    ("autel", "autel"),
    ("autel.intelligent", "autel"),
];

/// Maker groups whose devices of unknown kind are cameras.
const CAMERA_GROUPS: &[&str] = &["hikvision", "dahua", "uniview", "tiandy"];

struct OuiRow {
    assignment: String,
    organization: String,
    vendor: &'static str,
    group: String,
}

/// The in-scope MAC blocks (CID rows are company ids, not MAC blocks).
fn oui_rows() -> Vec<OuiRow> {
    let mut out = Vec::new();
    let mut reader = csv::Reader::from_reader(RESTRICTED_OUIS.as_bytes());
    for row in reader.deserialize::<BTreeMap<String, String>>() {
        let row = row.unwrap();
        if row["registry"] == "CID" {
            continue;
        }
        let key = row["vendor_key"].as_str();
        let Some((_, vendor)) = OUI_VENDORS.iter().find(|(k, _)| *k == key) else {
            continue;
        };
        let group = POLICY
            .vendors
            .get(
                POLICY
                    .vendors
                    .group_of(POLICY.vendors.by_id(vendor).unwrap()),
            )
            .unwrap()
            .id
            .clone();
        out.push(OuiRow {
            assignment: row["assignment"].clone(),
            organization: row["organization"].clone(),
            vendor,
            group,
        });
    }
    out
}

/// A MAC inside the block, host bits filled with `fill`, as `aa:bb:…`.
fn mac_in(assignment: &str, fill: char) -> String {
    let hex: String = assignment
        .chars()
        .chain(std::iter::repeat(fill))
        .take(12)
        .collect();
    hex.as_bytes()
        .chunks(2)
        .map(|c| std::str::from_utf8(c).unwrap().to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join(":")
}

#[test]
fn every_restricted_mac_block_names_its_maker() {
    let rows = oui_rows();
    assert!(rows.len() > 2_700, "only {} rows in scope", rows.len());
    let mut wrong = Vec::new();
    for row in &rows {
        for fill in ['0', 'F'] {
            let mac = mac_in(&row.assignment, fill);
            let id = id_of(&[(Signal::Mac, &mac)]);
            let got = vendor(&id);
            if got.as_ref().map(|(v, _)| v.as_str()) != Some(row.vendor)
                || got.as_ref().map(|(_, g)| g) != Some(&row.group)
                || !restricted(&id)
            {
                wrong.push(format!(
                    "{} {mac} ({}) -> {got:?}, restricted {}",
                    row.assignment,
                    row.organization,
                    restricted(&id)
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} lookups wrong:\n{}",
        wrong.len(),
        rows.len() * 2,
        wrong.join("\n")
    );
}

/// Every in-scope block, as a DHCP reservation on a sensitive network, fails
/// the gate: camera makers' devices as restricted cameras, the others as
/// covered equipment.
#[test]
fn every_restricted_mac_block_fails_the_gate_in_a_dhcp_reservation() {
    let rows = oui_rows();
    let mut conf =
        String::from("shared-network SECURE-CCTV {\n  subnet 10.0.0.0 netmask 255.0.0.0 {\n");
    for (i, row) in rows.iter().enumerate() {
        conf.push_str(&format!(
            "    host r{i} {{ hardware ethernet {}; fixed-address 10.{}.{}.{}; }}\n",
            mac_in(&row.assignment, '0'),
            i / 65_536,
            (i / 256) % 256,
            i % 256 + 1,
        ));
    }
    conf.push_str("  }\n}\n");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("dhcpd.conf"), conf).unwrap();
    let (code, doc) = check(dir.path());
    assert_eq!(code, 1);
    let mut found: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for f in doc["findings"].as_array().unwrap() {
        found
            .entry(f["device"]["name"].as_str().unwrap_or_default().to_string())
            .or_default()
            .push((
                f["rule"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
            ));
    }
    let mut wrong = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let expected = if CAMERA_GROUPS.contains(&row.group.as_str()) {
            ("restricted-camera-on-sensitive-network", "error")
        } else {
            ("covered-equipment-on-sensitive-network", "warning")
        };
        let got = found.get(&format!("r{i}")).cloned().unwrap_or_default();
        if got != [(expected.0.to_string(), expected.1.to_string())] {
            wrong.push(format!("{} {}: {got:?}", row.assignment, row.organization));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

fn check(dir: &std::path::Path) -> (i32, serde_json::Value) {
    let mut out = Vec::new();
    let mut err = Vec::new();
    let code = camlint::run(
        [
            "camlint",
            "check",
            dir.to_str().unwrap(),
            "--format",
            "json",
            // Some cases put every OUI block in one file: list them all.
            "--max-findings-per-file",
            "0",
        ],
        &mut out,
        &mut err,
    );
    assert!(err.is_empty(), "{}", String::from_utf8_lossy(&err));
    (code, serde_json::from_slice(&out).unwrap())
}

/// The vendor entry each `model_regexes.tsv` key names.
fn model_vendor(key: &str) -> &str {
    key.rsplit('.').next().unwrap_or(key)
}

/// Researched patterns the policy narrows, each because a safe device
/// matched it (the reason is beside the pattern in vendors.hcl).
const REFINED: &[(&str, &str)] = &[(
    r"\bSD\d{1,2}[A-Z]{0,2}\d{3,4}[A-Z]{0,4}-[A-Z0-9-]+",
    r"\bSD(?:\d{1,2}[A-Z]{1,2}\d{3,4}|\d{5,6})[A-Z]{0,4}-[A-Z0-9-]+",
)];

#[test]
fn every_model_regex_example_names_its_maker() {
    let mut lines = MODEL_REGEXES.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    assert_eq!(header[0], "vendor_key");
    let mut checked = 0;
    let mut wrong = Vec::new();
    for line in lines.filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split('\t').collect();
        let (key, regex, examples) = (f[0], f[2], f[3]);
        let want = model_vendor(key);
        let vi = POLICY
            .vendors
            .by_id(want)
            .unwrap_or_else(|| panic!("{key}"));
        let v = POLICY.vendors.get(vi).unwrap();
        // The pattern in the policy is the researched one, or its
        // documented refinement.
        let regex = REFINED
            .iter()
            .find(|(researched, _)| *researched == regex)
            .map_or(regex, |(_, refined)| refined);
        let spec = v.models.iter().find(|m| m.pattern == regex);
        let spec = spec.unwrap_or_else(|| panic!("{key}: pattern {regex} not in vendors.hcl"));
        let group = POLICY
            .vendors
            .get(POLICY.vendors.group_of(vi))
            .unwrap()
            .name
            .clone();
        for example in examples.split(';') {
            checked += 1;
            // In an explicit model field; patterns that need context get the
            // maker group's name elsewhere, which must not be what decides.
            let context = format!("{group} unit");
            let mut facts = vec![(Signal::Model, example)];
            if spec.requires_context {
                facts.push((Signal::Description, &context));
            }
            let id = id_of(&facts);
            let first = id.evidence.first();
            let ok = vendor(&id).is_some_and(|(v, _)| v == want)
                && first.is_some_and(|e| e.signal == "model" && e.value == example)
                && restricted(&id);
            if !ok {
                wrong.push(format!(
                    "{key} {example} (model field) -> {:?}",
                    vendor(&id)
                ));
            }
            // In free text, with context when the pattern needs it.
            let text = format!("{example} lobby");
            let mut facts = vec![(Signal::Description, text.as_str())];
            if spec.requires_context || spec.family.is_some() {
                facts.push((Signal::Name, &context));
            }
            let id = id_of(&facts);
            let ok = id
                .evidence
                .iter()
                .any(|e| e.signal == "model-number" && e.value == example)
                && vendor(&id).is_some_and(|(_, g)| {
                    g == POLICY.vendors.get(POLICY.vendors.group_of(vi)).unwrap().id
                });
            if !ok {
                wrong.push(format!("{key} {example} (text) -> {:?}", vendor(&id)));
            }
        }
    }
    assert!(checked >= 45, "only {checked} examples");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn ambiguous_model_numbers_never_decide_alone() {
    // Hytera radio numbers, EZVIZ CS- and Tiandy TC- numbers, and the Imou
    // IPC- family in free text, with nothing else naming their maker.
    for text in [
        "PD785",
        "handset MD785G",
        "CS-C6N-A0-1C2WFR",
        "TC-C32WP",
        "IPC-A22EP in the lobby",
        "IPC-GS7EP",
        "IPC-",
        "IPC-1234",
        "IPC camera",
        "PD100W",
    ] {
        for signal in [Signal::Description, Signal::Name] {
            let id = id_of(&[(signal, text)]);
            assert_eq!(vendor(&id), None, "{text:?} as {signal:?}");
        }
    }
    // A weak signal of the same maker is enough context…
    let id = id_of(&[
        (Signal::Description, "IPC-A22EP"),
        (Signal::ConfigValue, "tcp://10.0.0.5:37777"),
    ]);
    assert_eq!(vendor(&id).map(|v| v.0), Some("imou".into()));
    // …but never decides on its own.
    for weak in ["tcp://10.0.0.5:37777", "http://10.0.0.5:8000/", "/PSIA/"] {
        let id = id_of(&[(Signal::ConfigValue, weak)]);
        assert_eq!(vendor(&id), None, "{weak}");
    }
    // HiLook's and Dahua's IPC- numbers are specific enough for free text.
    for (text, want) in [
        ("IPC-T280H-UF on the gate", "hilook"),
        ("IPC-HFW2228M-I1-V2 on the gate", "dahua"),
    ] {
        let id = id_of(&[(Signal::Description, text)]);
        assert_eq!(vendor(&id).map(|v| v.0), Some(want.into()), "{text}");
    }
    // The three IPC- families stay apart.
    for (model, want) in [
        ("IPC-B140H", "hilook"),
        ("IPC-HDW2431T-AS-S2", "dahua"),
        ("IPC-A22EP", "imou"),
    ] {
        let id = id_of(&[(Signal::Model, model)]);
        assert_eq!(vendor(&id).map(|v| v.0), Some(want.into()), "{model}");
    }
}

#[test]
fn config_fingerprints_name_their_maker() {
    let cases = [
        ("rtsp://10.0.0.5:554/Streaming/Channels/101", "hikvision"),
        ("http://10.0.0.5/ISAPI/System/deviceInfo", "hikvision"),
        ("Server: DNVRS-Webs", "hikvision"),
        ("sysObjectID .1.3.6.1.4.1.39165.1.1.0", "hikvision"),
        ("SNMPv2-SMI::enterprises.39165", "hikvision"),
        (
            "onvif://www.onvif.org/name/HIKVISION onvif://www.onvif.org/hardware/DS-2CD2143G2-I",
            "hikvision",
        ),
        ("rtsp://cam/cam/realmonitor?channel=1&subtype=0", "dahua"),
        ("http://10.0.0.9/RPC2_Login", "dahua"),
        ("/cgi-bin/magicBox.cgi?action=getSystemInfo", "dahua"),
        ("1.3.6.1.4.1.1004849.2.1", "dahua"),
        ("rtsp://10.0.0.7/unicast/c1/s0/live", "uniview"),
        ("1.3.6.1.4.1.39747", "uniview"),
        ("1.3.6.1.4.1.60913", "tiandy"),
        ("1.3.6.1.4.1.40297.1", "hytera"),
        ("1.3.6.1.4.1.46055", "hytera"),
        ("1.3.6.1.4.1.58597", "hytera"),
        ("1.3.6.1.4.1.2011.2.23.1", "huawei"),
        ("1.3.6.1.4.1.3902.3", "zte"),
    ];
    for (text, want) in cases {
        for signal in [Signal::ConfigValue, Signal::Description] {
            let id = id_of(&[(signal, text)]);
            assert_eq!(
                vendor(&id).map(|v| v.1),
                Some(want.to_string()),
                "{text:?} as {signal:?}"
            );
            assert!(restricted(&id), "{text}");
        }
    }
    // Enterprise numbers are whole numbers: 2011 is not 20110 or 12011.
    for text in [
        "1.3.6.1.4.1.20115",
        "1.3.6.1.4.1.120111",
        "1.3.6.1.4.1.39165999",
    ] {
        assert_eq!(
            vendor(&id_of(&[(Signal::ConfigValue, text)])),
            None,
            "{text}"
        );
    }
}

#[test]
fn explicit_fields_outrank_the_mac_and_disagreement_is_kept() {
    // Axis on the label, a Hikvision MAC: Axis decides, the conflict stays.
    let id = id_of(&[
        (Signal::Manufacturer, "Axis Communications"),
        (Signal::Mac, "44:19:b6:01:02:03"),
    ]);
    assert_eq!(vendor(&id).map(|v| v.0), Some("axis".into()));
    let (a, b) = *id.conflict.clone().unwrap();
    assert_eq!((a.signal, b.signal), ("manufacturer", "mac-oui"));
    // A brand and its maker's MAC agree.
    let id = id_of(&[
        (Signal::Manufacturer, "EZVIZ"),
        (Signal::Mac, "44:19:b6:01:02:03"),
    ]);
    assert_eq!(id.conflict, None);
    assert_eq!(vendor(&id).map(|v| v.0), Some("ezviz".into()));
}

#[test]
fn switches_and_routers_of_restricted_makers_are_not_cameras() {
    for (facts, kind) in [
        (vec![(Signal::Model, "DS-3E0524P-E")], "network"),
        (
            vec![
                (Signal::Manufacturer, "Huawei"),
                (Signal::Model, "S5735-L24T4S-A"),
            ],
            "network",
        ),
        (
            vec![(Signal::Manufacturer, "Huawei"), (Signal::Role, "router")],
            "network",
        ),
        (vec![(Signal::Description, "ZXR10 5950 core")], "network"),
        (
            vec![
                (Signal::Manufacturer, "Hikvision"),
                (Signal::Model, "DS-2CD2143G2-I"),
            ],
            "camera",
        ),
        (vec![(Signal::Model, "DS-7608NI-K2")], "nvr"),
        (vec![(Signal::Model, "VTO2202F-P")], "intercom"),
        (vec![(Signal::Description, "Hytera PD785 handset")], "radio"),
    ] {
        let id = id_of(&facts);
        assert_eq!(&*id.kind, kind, "{facts:?}");
        assert!(restricted(&id), "{facts:?}");
    }
}

/// The precision figures: how many safe rows, probed how many ways, and how
/// many were identified as restricted (must be none).
#[test]
fn safe_devices_are_never_restricted() {
    let mut rows = 0;
    let mut probes = 0;
    let mut wrong = Vec::new();
    for line in SAFE_DEVICES.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        let (maker, model, prefix) = (f[0], f[1], f[2]);
        rows += 1;
        let mac = (!prefix.is_empty()).then(|| format!("{prefix}:00:00:01"));
        let described = format!("{model} in the lobby");
        let mut variants: Vec<Vec<(Signal, &str)>> = vec![
            vec![(Signal::Manufacturer, maker), (Signal::Model, model)],
            vec![(Signal::Model, model)],
            vec![(Signal::Description, &described)],
            vec![(Signal::Name, model)],
        ];
        if let Some(mac) = &mac {
            variants.push(vec![(Signal::Mac, mac)]);
            variants.push(vec![
                (Signal::Manufacturer, maker),
                (Signal::Model, model),
                (Signal::Mac, mac),
                (Signal::Description, &described),
            ]);
        }
        for facts in variants {
            probes += 1;
            let id = id_of(&facts);
            if restricted(&id) || id.conflict.is_some() && restricted_conflict(&id) {
                wrong.push(format!("{facts:?} -> {:?}", vendor(&id)));
            }
        }
    }
    println!(
        "safe devices: {rows} rows, {probes} probes, {} identified as restricted",
        wrong.len()
    );
    assert!(rows >= 200, "only {rows} rows");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

fn restricted_conflict(id: &Identity) -> bool {
    id.conflict.as_deref().is_some_and(|(a, b)| {
        [a, b].iter().any(|e| match e.maker {
            Maker::Known(i) => !POLICY.restricted_by(i).is_empty(),
            Maker::Other(_) => false,
        })
    })
}

/// Every restricted vendor entry fires: a CSV asset register with one row
/// per entry (named by its first alias) on a sensitive zone.
#[test]
fn every_restricted_vendor_entry_fires() {
    let mut csv = String::from("hostname;vendor;role;zone\n");
    let mut expected = BTreeMap::new();
    for i in 0..POLICY.vendors.vendors.len() {
        let v = POLICY.vendors.get(i).unwrap();
        let packs = POLICY.restricted_by(i);
        if packs.is_empty() {
            continue;
        }
        let alias = v.aliases.first().unwrap_or(&v.name);
        let group = POLICY.vendors.get(POLICY.vendors.group_of(i)).unwrap();
        let main = v.kinds.first().or(group.kinds.first());
        let camera = main.is_some_and(|k| POLICY.kinds.is_surveillance(k));
        let host = format!("v-{}", v.id);
        csv.push_str(&format!(
            "{host};{alias};{};SECURE-OPS\n",
            if camera { "camera" } else { "" }
        ));
        let want = if camera {
            let sev = if v.confidence.as_str() == "low" {
                "warning"
            } else {
                "error"
            };
            ("restricted-camera-on-sensitive-network", sev)
        } else {
            assert!(packs.contains(&"us-fcc-covered".to_string()), "{}", v.id);
            ("covered-equipment-on-sensitive-network", "warning")
        };
        expected.insert(host, (want.0.to_string(), want.1.to_string()));
    }
    assert!(
        expected.len() >= 40,
        "only {} restricted entries",
        expected.len()
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("assets.csv"), csv).unwrap();
    let (_, doc) = check(dir.path());
    let mut got = BTreeMap::new();
    for f in doc["findings"].as_array().unwrap() {
        got.insert(
            f["device"]["name"].as_str().unwrap_or_default().to_string(),
            (
                f["rule"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
            ),
        );
    }
    assert_eq!(got, expected);
}

fn inventory(args: &[&str]) -> (i32, String) {
    let mut argv = vec!["camlint", "inventory"];
    argv.extend_from_slice(args);
    let mut out = Vec::new();
    let mut err = Vec::new();
    let code = camlint::run(argv, &mut out, &mut err);
    assert!(err.is_empty(), "{}", String::from_utf8_lossy(&err));
    (code, String::from_utf8(out).unwrap())
}

/// The demo estate's inventory lists every device `check` counts, each with
/// its declaration, and every identified device with located evidence.
#[test]
fn inventory_lists_every_device_with_evidence() {
    let (code, text) = inventory(&["testdata/demo", "--format", "json"]);
    assert_eq!(code, 0);
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["version"], 1);
    let (_, checked) = check(std::path::Path::new("testdata/demo"));
    let devices = doc["devices"].as_array().unwrap();
    assert_eq!(
        devices.len() as u64,
        checked["summary"]["devices"].as_u64().unwrap()
    );
    assert!(devices.len() >= 8);
    let mut restricted = 0;
    for d in devices {
        let name = d["name"].as_str().unwrap();
        assert!(d["location"]["line"].as_u64().unwrap() >= 1, "{name}");
        assert!(
            d["location"]["file"]
                .as_str()
                .unwrap()
                .starts_with("testdata/demo/")
        );
        if d["has_vendor_signal"] == true {
            let evidence = d["evidence"].as_array().unwrap();
            assert!(!evidence.is_empty(), "{name}");
            for e in evidence {
                assert!(e["line"].as_u64().unwrap() >= 1, "{name}: {e}");
                assert!(!e["file"].as_str().unwrap().is_empty(), "{name}: {e}");
            }
        }
        if d["restricted"] == true {
            restricted += 1;
            assert!(!d["restricted_by"].as_array().unwrap().is_empty());
        }
        for a in d["attachments"].as_array().unwrap() {
            assert_eq!(a["why"].is_null(), a["sensitive"] == false, "{name}: {a}");
        }
    }
    assert_eq!(doc["summary"]["restricted"], restricted);
    // The same input gives the same bytes.
    assert_eq!(inventory(&["testdata/demo", "--format", "json"]).1, text);

    // Table and CSV: a header, then one line per device.
    let (_, table) = inventory(&["testdata/demo"]);
    assert!(table.starts_with("LOCATION"));
    assert_eq!(
        table
            .lines()
            .filter(|l| l.starts_with("testdata/demo/"))
            .count(),
        devices.len()
    );
    let (_, csv_text) = inventory(&["testdata/demo", "--format", "csv"]);
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    assert_eq!(&reader.headers().unwrap()[2], "device");
    assert_eq!(reader.records().count(), devices.len());
}

/// docs/inventory-schema.md names every field the device and network
/// objects carry.
#[test]
fn inventory_schema_doc_is_complete() {
    let doc = std::fs::read_to_string("docs/inventory-schema.md").unwrap();
    let (_, text) = inventory(&["testdata/vendors/conflicting-evidence", "--format", "json"]);
    let inv: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut names: Vec<String> = camlint::policy::rules::DEVICE_FIELDS
        .iter()
        .chain(camlint::policy::rules::NETWORK_FIELDS)
        .map(|(name, _, _)| name.to_string())
        .collect();
    for key in ["devices", "networks"] {
        for obj in inv[key].as_array().unwrap() {
            names.extend(obj.as_object().unwrap().keys().cloned());
        }
    }
    for e in inv["devices"][0]["evidence"].as_array().unwrap() {
        names.extend(e.as_object().unwrap().keys().cloned());
    }
    let missing: Vec<&String> = names
        .iter()
        .filter(|n| !doc.contains(&format!("`{n}`")))
        .collect();
    assert!(missing.is_empty(), "not documented: {missing:?}");
}

/// What one scan of `root` keeps: (file, span start, device name, its
/// identity) of every kept device, and (rule, file, span) of every finding.
type Outcome = (
    Vec<(u32, u32, String, String)>,
    Vec<(String, u32, u32, u32)>,
);

fn scan_outcome(root: &str, prune: bool) -> (Outcome, usize) {
    use camlint::{discover, resolve, sources};
    let found = discover::discover(
        &[std::path::PathBuf::from(root)],
        &discover::DiscoverOptions::default(),
    )
    .unwrap();
    let hook = |devices: &mut Vec<Device>| policy::prune_candidates(&POLICY, devices);
    let opts = sources::SourceOptions {
        prune: prune.then_some(sources::Prune(&hook)),
        ..sources::SourceOptions::default()
    };
    let facts = sources::collect(&found.files, &opts);
    let devices = facts.devices.len();
    let r_opts = resolve::ResolveOptions {
        words: POLICY.words.clone(),
        declared: POLICY.networks.clone(),
    };
    let inventory = resolve::resolve(found.files, facts, &r_opts);
    let e_opts = policy::EvalOptions {
        today: jiff::civil::date(2026, 12, 1),
        apply_suppressions: true,
    };
    let analysis = policy::evaluate(&POLICY, inventory, &e_opts);
    let mut kept: Vec<(u32, u32, String, String)> = analysis
        .inventory
        .devices
        .iter()
        .zip(&analysis.kept)
        .zip(&analysis.identities)
        .filter(|((_, k), _)| **k)
        .map(|((d, _), id)| {
            (
                d.span.file.0,
                d.span.start,
                d.name.clone(),
                format!("{id:?}"),
            )
        })
        .collect();
    kept.sort();
    let mut findings: Vec<(String, u32, u32, u32)> = analysis
        .findings
        .iter()
        .map(|f| (f.rule.clone(), f.span.file.0, f.span.start, f.span.end))
        .collect();
    findings.sort();
    ((kept, findings), devices)
}

/// Sources drop candidate devices identification finds nothing in as each
/// file is parsed; evaluation must then keep, identify and find exactly
/// what it does when it sees every candidate itself (the candidates kept
/// bring the identification pruning made along).
#[test]
fn pruning_candidates_early_changes_no_outcome() {
    let mut pruned_somewhere = false;
    for root in ["testdata/demo", "testdata/netconf", "testdata/ansible"] {
        let (all, all_devices) = scan_outcome(root, false);
        let (pruned, pruned_devices) = scan_outcome(root, true);
        assert_eq!(all, pruned, "{root}: pruning changed what is kept or found");
        assert!(
            !all.0.is_empty() && !all.1.is_empty(),
            "{root}: nothing to compare"
        );
        pruned_somewhere |= pruned_devices < all_devices;
    }
    assert!(
        pruned_somewhere,
        "no candidate was pruned: the test proves nothing"
    );
}

#[test]
fn prune_drops_only_candidates_nothing_identifies() {
    let mut desk = device(&[(Signal::Description, "desk 25")]);
    desk.candidate = true;
    let mut cam = device(&[(Signal::Description, "lobby cam DS-2CD2143G2-I")]);
    cam.candidate = true;
    let sure = device(&[(Signal::Description, "desk 26")]);
    let mut devices = vec![desk, cam, sure];
    policy::prune_candidates(&POLICY, &mut devices);
    let left: Vec<(&str, bool)> = devices
        .iter()
        .map(|d| (d.facts[0].value.as_str(), d.candidate))
        .collect();
    assert_eq!(
        left,
        [("lobby cam DS-2CD2143G2-I", true), ("desk 26", false)]
    );
    // The kept candidate carries the identification that kept it; a device
    // that was never a candidate is identified by evaluation.
    let carried = devices[0].identified.as_deref().expect("carried");
    assert_eq!(
        carried,
        &identify(&devices[0], &POLICY.vendors, &POLICY.kinds)
    );
    assert!(devices[1].identified.is_none());
}
