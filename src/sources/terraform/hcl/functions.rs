//! Terraform's built-in functions that configurations use to compute names,
//! addresses and tags: a table from name to implementation.
//!
//! Each implementation sees known arguments only, unless its table entry
//! says it can work with unknowns inside collections (`length` of a list
//! whose elements come after apply is still known) or with unknowns at all
//! (`try`, `can`). A function missing from the table yields an unknown
//! saying it is not supported, so a finding never rests on a guess.
//! Provider-defined functions (`provider::…`) are never evaluated.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::TextRange;
use super::eval::{equals, to_bool, to_number, to_string};
use super::value::{UnknownKind, Value, format_number};

type Impl = fn(&[Value]) -> Result<Value, String>;

/// Which unknown arguments a function accepts.
#[derive(Clone, Copy, PartialEq)]
enum Unknowns {
    /// Any unknown anywhere in the arguments makes the result unknown.
    None,
    /// Arguments must be known at the top; elements may be unknown.
    Elements,
    /// The function decides (`try`, `can`, `coalesce`).
    Any,
}

struct Function {
    name: &'static str,
    min: usize,
    /// `usize::MAX` for variadic functions.
    max: usize,
    unknowns: Unknowns,
    run: Impl,
}

const ANY: usize = usize::MAX;

macro_rules! f {
    ($name:literal, $min:expr, $max:expr, $unk:ident, $run:expr) => {
        Function {
            name: $name,
            min: $min,
            max: $max,
            unknowns: Unknowns::$unk,
            run: $run,
        }
    };
}

static FUNCTIONS: &[Function] = &[
    f!("abs", 1, 1, None, |a| Ok(Value::Number(num(a, 0)?.abs()))),
    f!("base64decode", 1, 1, None, base64decode),
    f!("base64encode", 1, 1, None, |a| Ok(Value::String(
        base64_encode(string(a, 0)?.as_bytes())
    ))),
    f!("can", 1, 1, Any, can),
    f!("ceil", 1, 1, None, |a| Ok(Value::Number(num(a, 0)?.ceil()))),
    f!("chomp", 1, 1, None, |a| Ok(Value::String(
        string(a, 0)?.trim_end_matches(['\n', '\r']).to_string()
    ))),
    f!("cidrhost", 2, 2, None, cidrhost),
    f!("cidrnetmask", 1, 1, None, cidrnetmask),
    f!("cidrsubnet", 3, 3, None, cidrsubnet),
    f!("cidrsubnets", 1, ANY, None, cidrsubnets),
    f!("coalesce", 1, ANY, Any, coalesce),
    f!("coalescelist", 1, ANY, Any, coalescelist),
    f!("compact", 1, 1, None, compact),
    f!("concat", 0, ANY, Elements, concat),
    f!("contains", 2, 2, None, |a| Ok(Value::Bool(
        list(a, 0)?
            .iter()
            .any(|v| equals(v, arg(a, 1)) == Some(true))
    ))),
    f!("distinct", 1, 1, None, distinct),
    f!("element", 2, 2, Elements, element),
    f!("endswith", 2, 2, None, |a| Ok(Value::Bool(
        string(a, 0)?.ends_with(string(a, 1)?.as_str())
    ))),
    f!("flatten", 1, 1, Elements, flatten),
    f!("floor", 1, 1, None, |a| Ok(Value::Number(
        num(a, 0)?.floor()
    ))),
    f!("format", 1, ANY, None, |a| format(
        &string(a, 0)?,
        a.get(1..).unwrap_or(&[])
    )
    .map(Value::String)),
    f!("formatlist", 1, ANY, None, formatlist),
    f!("join", 2, ANY, None, join),
    f!("jsondecode", 1, 1, None, jsondecode),
    f!("jsonencode", 1, 1, None, |a| Ok(Value::String(jsonencode(
        arg(a, 0)
    )))),
    f!("keys", 1, 1, Elements, |a| Ok(Value::List(
        object(a, 0)?.keys().cloned().map(Value::String).collect()
    ))),
    f!("length", 1, 1, Elements, length),
    f!("lookup", 2, 3, Elements, lookup),
    f!("lower", 1, 1, None, |a| Ok(Value::String(
        string(a, 0)?.to_lowercase()
    ))),
    f!("max", 1, ANY, None, |a| fold_numbers(a, f64::max)),
    f!("merge", 0, ANY, Elements, merge),
    f!("min", 1, ANY, None, |a| fold_numbers(a, f64::min)),
    f!("range", 1, 3, None, range),
    f!("regex", 2, 2, None, regex_fn),
    f!("regexall", 2, 2, None, regexall),
    f!("replace", 3, 3, None, replace),
    f!("reverse", 1, 1, Elements, |a| Ok(Value::List(
        list(a, 0)?.iter().rev().cloned().collect()
    ))),
    f!("slice", 3, 3, Elements, slice),
    f!("sort", 1, 1, None, sort),
    f!("split", 2, 2, None, split),
    f!("startswith", 2, 2, None, |a| Ok(Value::Bool(
        string(a, 0)?.starts_with(string(a, 1)?.as_str())
    ))),
    f!("strcontains", 2, 2, None, |a| Ok(Value::Bool(
        string(a, 0)?.contains(string(a, 1)?.as_str())
    ))),
    f!("substr", 3, 3, None, substr),
    f!("title", 1, 1, None, |a| Ok(Value::String(title(&string(
        a, 0
    )?)))),
    f!("tobool", 1, 1, None, tobool),
    f!("tolist", 1, 1, Elements, tolist),
    f!("tomap", 1, 1, Elements, |a| Ok(Value::Object(
        object(a, 0)?.clone()
    ))),
    f!("tonumber", 1, 1, None, tonumber),
    f!("toset", 1, 1, None, |a| distinct(a).map(sort_if_strings)),
    f!("tostring", 1, 1, None, tostring),
    f!("trim", 2, 2, None, trim),
    f!("trimprefix", 2, 2, None, |a| {
        let s = string(a, 0)?;
        Ok(Value::String(
            s.strip_prefix(string(a, 1)?.as_str())
                .unwrap_or(&s)
                .to_string(),
        ))
    }),
    f!("trimspace", 1, 1, None, |a| Ok(Value::String(
        string(a, 0)?.trim().to_string()
    ))),
    f!("trimsuffix", 2, 2, None, |a| {
        let s = string(a, 0)?;
        Ok(Value::String(
            s.strip_suffix(string(a, 1)?.as_str())
                .unwrap_or(&s)
                .to_string(),
        ))
    }),
    f!("try", 1, ANY, Any, try_fn),
    f!("upper", 1, 1, None, |a| Ok(Value::String(
        string(a, 0)?.to_uppercase()
    ))),
    f!("values", 1, 1, Elements, |a| Ok(Value::List(
        object(a, 0)?.values().cloned().collect()
    ))),
    f!("zipmap", 2, 2, Elements, zipmap),
    // Sets, paths, encodings and the rest that published modules use.
    f!("alltrue", 1, 1, Elements, |a| all_or_any(a, true)),
    f!("anytrue", 1, 1, Elements, |a| all_or_any(a, false)),
    f!("basename", 1, 1, None, |a| Ok(Value::String(basename(
        &string(a, 0)?
    )))),
    f!("chunklist", 2, 2, Elements, chunklist),
    f!("dirname", 1, 1, None, |a| Ok(Value::String(dirname(
        &string(a, 0)?
    )))),
    f!("indent", 2, 2, None, indent),
    f!("index", 2, 2, None, index_of),
    f!("matchkeys", 3, 3, None, matchkeys),
    f!("nonsensitive", 1, 1, Any, |a| Ok(arg(a, 0).clone())),
    f!("one", 1, 1, Elements, one),
    f!("parseint", 2, 2, None, parseint),
    f!("pow", 2, 2, None, |a| Ok(Value::Number(
        num(a, 0)?.powf(num(a, 1)?)
    ))),
    f!("sensitive", 1, 1, Any, |a| Ok(arg(a, 0).clone())),
    f!("setintersection", 1, ANY, None, setintersection),
    f!("setproduct", 1, ANY, None, setproduct),
    f!("setsubtract", 2, 2, None, setsubtract),
    f!("setunion", 1, ANY, None, setunion),
    f!("signum", 1, 1, None, |a| Ok(Value::Number(signum(num(
        a, 0
    )?)))),
    f!("strrev", 1, 1, None, |a| Ok(Value::String(
        string(a, 0)?.chars().rev().collect()
    ))),
    f!("sum", 1, 1, None, sum),
    f!("transpose", 1, 1, None, transpose),
    f!("urlencode", 1, 1, None, |a| Ok(Value::String(urlencode(
        &string(a, 0)?
    )))),
    f!("yamlencode", 1, 1, None, |a| Ok(Value::String(yamlencode(
        arg(a, 0)
    )))),
];

/// Calls function `name`; unknown names and provider functions give an
/// unsupported unknown, failures an error unknown located at `range`.
pub(crate) fn call(name: &str, args: Vec<Value>, range: TextRange) -> Value {
    let plain = name.strip_prefix("core::").unwrap_or(name);
    let Some(f) = FUNCTIONS.iter().find(|f| f.name == plain) else {
        return Value::unsupported(format!("function {name} is not supported"), range);
    };
    if args.len() < f.min || args.len() > f.max {
        let want = match (f.min, f.max) {
            (a, b) if a == b => format!("{a}"),
            (a, ANY) => format!("at least {a}"),
            (a, b) => format!("{a} to {b}"),
        };
        return Value::error(
            format!("{name} takes {want} arguments, got {}", args.len()),
            range,
        );
    }
    let blocking = match f.unknowns {
        Unknowns::None => args.iter().find_map(Value::first_unknown),
        Unknowns::Elements => args.iter().find_map(|a| match a {
            Value::Unknown(u) => Some(u),
            _ => None,
        }),
        Unknowns::Any => None,
    };
    if let Some(u) = blocking {
        return Value::Unknown(u.clone());
    }
    match (f.run)(&args) {
        Ok(v) => v,
        Err(message) => Value::error(format!("{name}: {message}"), range),
    }
}

// ---- sets, paths, encodings --------------------------------------------------

/// A set operation's result never holds more than this many elements.
const MAX_SET_PRODUCT: usize = 100_000;

fn all_or_any(a: &[Value], all: bool) -> Result<Value, String> {
    let mut unknown = None;
    for v in list(a, 0)? {
        match v {
            Value::Unknown(u) => unknown = unknown.or(Some(u.clone())),
            v => match to_bool(v) {
                Some(b) if b != all => return Ok(Value::Bool(!all)),
                Some(_) => {}
                None => return Err(format!("elements must be bools, not {}", v.type_name())),
            },
        }
    }
    Ok(unknown.map_or(Value::Bool(all), Value::Unknown))
}

fn one(a: &[Value]) -> Result<Value, String> {
    match list(a, 0)? {
        [] => Ok(Value::Null),
        [v] => Ok(v.clone()),
        more => Err(format!(
            "must have zero or one elements, not {}",
            more.len()
        )),
    }
}

fn chunklist(a: &[Value]) -> Result<Value, String> {
    let items = list(a, 0)?;
    let size = int(a, 1)?;
    if size < 0 {
        return Err("the chunk size must not be negative".into());
    }
    if size == 0 {
        return Ok(Value::List(vec![Value::List(items.to_vec())]));
    }
    Ok(Value::List(
        items
            .chunks(size as usize)
            .map(|c| Value::List(c.to_vec()))
            .collect(),
    ))
}

fn index_of(a: &[Value]) -> Result<Value, String> {
    list(a, 0)?
        .iter()
        .position(|v| equals(v, arg(a, 1)) == Some(true))
        .map(|i| Value::Number(i as f64))
        .ok_or_else(|| "item not found".into())
}

fn indent(a: &[Value]) -> Result<Value, String> {
    let n = int(a, 0)?.clamp(0, 1024) as usize;
    let pad = " ".repeat(n);
    Ok(Value::String(
        string(a, 1)?.replace('\n', &format!("\n{pad}")),
    ))
}

fn matchkeys(a: &[Value]) -> Result<Value, String> {
    let values = list(a, 0)?;
    let keys = list(a, 1)?;
    let search = list(a, 2)?;
    if values.len() != keys.len() {
        return Err("values and keys must have the same length".into());
    }
    Ok(Value::List(
        values
            .iter()
            .zip(keys)
            .filter(|(_, k)| search.iter().any(|s| equals(s, k) == Some(true)))
            .map(|(v, _)| v.clone())
            .collect(),
    ))
}

fn parseint(a: &[Value]) -> Result<Value, String> {
    let text = string(a, 0)?;
    let base = int(a, 1)?;
    if !(2..=36).contains(&base) {
        return Err(format!("base {base} is not supported (2 to 36)"));
    }
    i64::from_str_radix(&text, base as u32)
        .map(|n| Value::Number(n as f64))
        .map_err(|_| format!("cannot parse \"{text}\" as a base {base} integer"))
}

fn signum(n: f64) -> f64 {
    if n > 0.0 {
        1.0
    } else if n < 0.0 {
        -1.0
    } else {
        0.0
    }
}

fn sum(a: &[Value]) -> Result<Value, String> {
    let items = list(a, 0)?;
    if items.is_empty() {
        return Err("cannot sum an empty list".into());
    }
    let mut total = 0.0;
    for v in items {
        total += to_number(v)
            .ok_or_else(|| format!("elements must be numbers, not {}", v.type_name()))?;
    }
    Ok(Value::Number(total))
}

/// The union of sets, strings in lexical order as Terraform iterates them.
fn setunion(a: &[Value]) -> Result<Value, String> {
    let mut out: Vec<Value> = Vec::new();
    for i in 0..a.len() {
        for v in list(a, i)? {
            if !out.iter().any(|o| equals(o, v) == Some(true)) {
                out.push(v.clone());
            }
        }
    }
    Ok(sort_if_strings(Value::List(out)))
}

fn setintersection(a: &[Value]) -> Result<Value, String> {
    let first = list(a, 0)?;
    let mut out: Vec<Value> = Vec::new();
    'item: for v in first {
        for i in 1..a.len() {
            if !list(a, i)?.iter().any(|o| equals(o, v) == Some(true)) {
                continue 'item;
            }
        }
        if !out.iter().any(|o| equals(o, v) == Some(true)) {
            out.push(v.clone());
        }
    }
    Ok(sort_if_strings(Value::List(out)))
}

fn setsubtract(a: &[Value]) -> Result<Value, String> {
    let take = list(a, 1)?;
    let mut out: Vec<Value> = Vec::new();
    for v in list(a, 0)? {
        if !take.iter().any(|t| equals(t, v) == Some(true))
            && !out.iter().any(|o| equals(o, v) == Some(true))
        {
            out.push(v.clone());
        }
    }
    Ok(sort_if_strings(Value::List(out)))
}

fn setproduct(a: &[Value]) -> Result<Value, String> {
    let mut out: Vec<Vec<Value>> = vec![Vec::new()];
    for i in 0..a.len() {
        let items = list(a, i)?;
        if out.len().saturating_mul(items.len()) > MAX_SET_PRODUCT {
            return Err(format!(
                "the product has more than {MAX_SET_PRODUCT} elements"
            ));
        }
        out = out
            .iter()
            .flat_map(|prefix| {
                items.iter().map(move |v| {
                    let mut p = prefix.clone();
                    p.push(v.clone());
                    p
                })
            })
            .collect();
    }
    Ok(Value::List(out.into_iter().map(Value::List).collect()))
}

fn transpose(a: &[Value]) -> Result<Value, String> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (k, v) in object(a, 0)? {
        let Value::List(items) = v else {
            return Err(format!(
                "values must be lists of strings, not {}",
                v.type_name()
            ));
        };
        for s in strings(items)? {
            out.entry(s).or_default().push(k.clone());
        }
    }
    Ok(Value::Object(
        out.into_iter()
            .map(|(k, mut v)| {
                v.sort();
                (k, Value::List(v.into_iter().map(Value::String).collect()))
            })
            .collect(),
    ))
}

/// Go's `filepath.Base`, which Terraform's `basename` is.
fn basename(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let trimmed = p.trim_end_matches('/');
    if trimmed.is_empty() {
        return "/".into();
    }
    trimmed.rsplit('/').next().unwrap_or(trimmed).to_string()
}

/// Go's `filepath.Dir`, without its path cleaning beyond trailing slashes.
fn dirname(p: &str) -> String {
    match p.rfind('/') {
        None => ".".into(),
        Some(0) => "/".into(),
        Some(i) => {
            let d = p.get(..i).unwrap_or("").trim_end_matches('/');
            if d.is_empty() {
                "/".into()
            } else {
                d.to_string()
            }
        }
    }
}

/// Go's `url.QueryEscape`: unreserved characters stay, spaces become `+`.
fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// YAML as Terraform's `yamlencode` writes it: block style, strings
/// double-quoted, two-space indentation, keys in lexical order.
fn yamlencode(v: &Value) -> String {
    fn scalar(v: &Value) -> Option<String> {
        Some(match v {
            Value::Null | Value::Unknown(_) => "null".into(),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => format_number(*n),
            Value::String(s) => serde_json::Value::String(s.clone()).to_string(),
            Value::List(l) if l.is_empty() => "[]".into(),
            Value::Object(m) if m.is_empty() => "{}".into(),
            _ => return None,
        })
    }
    fn write(v: &Value, indent: usize, out: &mut String, depth: u32) {
        let pad = " ".repeat(indent);
        match v {
            Value::List(items) if !items.is_empty() && depth < 64 => {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 || !out.ends_with("- ") {
                        out.push_str(&pad);
                    }
                    out.push_str("- ");
                    match scalar(item) {
                        Some(s) => {
                            out.push_str(&s);
                            out.push('\n');
                        }
                        None => write(item, indent + 2, out, depth + 1),
                    }
                }
            }
            Value::Object(map) if !map.is_empty() && depth < 64 => {
                for (i, (k, item)) in map.iter().enumerate() {
                    if i > 0 || !out.ends_with("- ") {
                        out.push_str(&pad);
                    }
                    out.push_str(&serde_json::Value::String(k.clone()).to_string());
                    match scalar(item) {
                        Some(s) => {
                            out.push_str(": ");
                            out.push_str(&s);
                            out.push('\n');
                        }
                        None => {
                            out.push_str(":\n");
                            let inner = if matches!(item, Value::List(_)) {
                                indent
                            } else {
                                indent + 2
                            };
                            write(item, inner, out, depth + 1);
                        }
                    }
                }
            }
            other => {
                out.push_str(&scalar(other).unwrap_or_else(|| "null".into()));
                out.push('\n');
            }
        }
    }
    let mut out = String::new();
    write(v, 0, &mut out, 0);
    out
}

// ---- argument helpers ------------------------------------------------------

static NULL: Value = Value::Null;

fn arg(a: &[Value], i: usize) -> &Value {
    a.get(i).unwrap_or(&NULL)
}

fn string(a: &[Value], i: usize) -> Result<String, String> {
    let v = arg(a, i);
    to_string(v)
        .ok_or_else(|| format!("argument {} must be a string, not {}", i + 1, v.type_name()))
}

fn num(a: &[Value], i: usize) -> Result<f64, String> {
    let v = arg(a, i);
    to_number(v)
        .ok_or_else(|| format!("argument {} must be a number, not {}", i + 1, v.type_name()))
}

fn int(a: &[Value], i: usize) -> Result<i64, String> {
    let n = num(a, i)?;
    if n.fract() != 0.0 || !n.is_finite() {
        return Err(format!(
            "argument {} must be a whole number, not {}",
            i + 1,
            format_number(n)
        ));
    }
    Ok(n as i64)
}

fn list(a: &[Value], i: usize) -> Result<&[Value], String> {
    match arg(a, i) {
        Value::List(items) => Ok(items),
        v => Err(format!(
            "argument {} must be a list, not {}",
            i + 1,
            v.type_name()
        )),
    }
}

fn object(a: &[Value], i: usize) -> Result<&BTreeMap<String, Value>, String> {
    match arg(a, i) {
        Value::Object(m) => Ok(m),
        v => Err(format!(
            "argument {} must be a map or object, not {}",
            i + 1,
            v.type_name()
        )),
    }
}

fn strings(items: &[Value]) -> Result<Vec<String>, String> {
    items
        .iter()
        .map(|v| to_string(v).ok_or_else(|| format!("expected strings, found {}", v.type_name())))
        .collect()
}

// ---- strings ----------------------------------------------------------------

/// Go's `strings.Title`: upper-cases the first letter of each word.
fn title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut at_word_start = true;
    for c in s.chars() {
        if at_word_start {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        at_word_start = !(c.is_alphanumeric() || c == '_' || c == '\'');
    }
    out
}

fn substr(a: &[Value]) -> Result<Value, String> {
    let chars: Vec<char> = string(a, 0)?.chars().collect();
    let len = chars.len() as i64;
    let mut offset = int(a, 1)?;
    let length = int(a, 2)?;
    if offset < 0 {
        offset += len;
    }
    if offset < 0 || offset > len {
        return Err("offset is out of range".into());
    }
    let end = if length < 0 {
        len
    } else {
        (offset + length).min(len)
    };
    Ok(Value::String(
        chars
            .get(offset as usize..end as usize)
            .unwrap_or(&[])
            .iter()
            .collect(),
    ))
}

fn trim(a: &[Value]) -> Result<Value, String> {
    let s = string(a, 0)?;
    let cut: Vec<char> = string(a, 1)?.chars().collect();
    Ok(Value::String(
        s.trim_matches(|c| cut.contains(&c)).to_string(),
    ))
}

fn split(a: &[Value]) -> Result<Value, String> {
    let sep = string(a, 0)?;
    let s = string(a, 1)?;
    if sep.is_empty() {
        return Ok(Value::List(
            s.chars().map(|c| Value::String(c.to_string())).collect(),
        ));
    }
    Ok(Value::List(
        s.split(sep.as_str())
            .map(|p| Value::String(p.to_string()))
            .collect(),
    ))
}

fn join(a: &[Value]) -> Result<Value, String> {
    let sep = string(a, 0)?;
    let mut parts = Vec::new();
    for i in 1..a.len() {
        parts.extend(strings(list(a, i)?)?);
    }
    Ok(Value::String(parts.join(&sep)))
}

/// `/re/` patterns are regular expressions, as in Terraform's `replace`.
fn replace(a: &[Value]) -> Result<Value, String> {
    let s = string(a, 0)?;
    let search = string(a, 1)?;
    let with = string(a, 2)?;
    if search.len() >= 2 && search.starts_with('/') && search.ends_with('/') {
        let re = compile(search.get(1..search.len() - 1).unwrap_or(""))?;
        return Ok(Value::String(
            re.replace_all(&s, with.as_str()).into_owned(),
        ));
    }
    if search.is_empty() {
        return Ok(Value::String(s));
    }
    Ok(Value::String(s.replace(&search, &with)))
}

fn compile(pattern: &str) -> Result<regex::Regex, String> {
    regex::RegexBuilder::new(pattern)
        .size_limit(1 << 20)
        .build()
        .map_err(|e| format!("invalid regular expression: {e}"))
}

/// The value of one match: the text when the pattern has no groups, an
/// object of named groups, or a list of numbered groups.
fn captures_value(re: &regex::Regex, caps: &regex::Captures<'_>) -> Value {
    let text = |m: Option<regex::Match<'_>>| {
        m.map_or(Value::Null, |m| Value::String(m.as_str().to_string()))
    };
    if re.captures_len() == 1 {
        return text(caps.get(0));
    }
    let names: Vec<_> = re.capture_names().flatten().collect();
    if !names.is_empty() {
        return Value::Object(
            names
                .iter()
                .map(|n| (n.to_string(), text(caps.name(n))))
                .collect(),
        );
    }
    Value::List((1..re.captures_len()).map(|i| text(caps.get(i))).collect())
}

fn regex_fn(a: &[Value]) -> Result<Value, String> {
    let re = compile(&string(a, 0)?)?;
    let s = string(a, 1)?;
    let caps = re.captures(&s).ok_or("pattern did not match")?;
    Ok(captures_value(&re, &caps))
}

fn regexall(a: &[Value]) -> Result<Value, String> {
    let re = compile(&string(a, 0)?)?;
    let s = string(a, 1)?;
    Ok(Value::List(
        re.captures_iter(&s)
            .map(|c| captures_value(&re, &c))
            .collect(),
    ))
}

/// The `%s %d %v %q %t %f %.Nf %%` subset of Go's fmt that Terraform's
/// `format` documents, with widths and `-`/`0` flags.
fn format(spec: &str, args: &[Value]) -> Result<String, String> {
    let mut out = String::new();
    let mut next = 0usize;
    let mut chars = spec.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        if chars.peek() == Some(&'%') {
            chars.next();
            out.push('%');
            continue;
        }
        let mut left = false;
        let mut zero = false;
        while let Some(&f) = chars.peek() {
            match f {
                '-' => left = true,
                '0' => zero = true,
                '+' | ' ' | '#' => {}
                _ => break,
            }
            chars.next();
        }
        let mut width = String::new();
        while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
            width.push(d);
            chars.next();
        }
        let mut precision = None;
        if chars.peek() == Some(&'.') {
            chars.next();
            let mut p = String::new();
            while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                p.push(d);
                chars.next();
            }
            precision = Some(p.parse::<usize>().unwrap_or(0).min(64));
        }
        let verb = chars
            .next()
            .ok_or("format string ends in the middle of a verb")?;
        let value = args
            .get(next)
            .ok_or_else(|| format!("not enough arguments for %{verb}"))?;
        next += 1;
        let text = match verb {
            's' => to_string(value)
                .ok_or_else(|| format!("%s needs a string, not {}", value.type_name()))?,
            'v' => value.to_display(),
            'q' => serde_json::Value::String(
                to_string(value)
                    .ok_or_else(|| format!("%q needs a string, not {}", value.type_name()))?,
            )
            .to_string(),
            't' => to_bool(value)
                .ok_or_else(|| format!("%t needs a bool, not {}", value.type_name()))?
                .to_string(),
            'd' => {
                let n = to_number(value)
                    .ok_or_else(|| format!("%d needs a number, not {}", value.type_name()))?;
                if n.fract() != 0.0 {
                    return Err(format!("%d needs a whole number, not {}", format_number(n)));
                }
                format_number(n)
            }
            'f' | 'e' | 'g' => {
                let n = to_number(value)
                    .ok_or_else(|| format!("%{verb} needs a number, not {}", value.type_name()))?;
                match verb {
                    'f' => format!("{n:.*}", precision.unwrap_or(6)),
                    'e' => format!("{n:.*e}", precision.unwrap_or(6)),
                    _ => format_number(n),
                }
            }
            other => return Err(format!("unsupported format verb %{other}")),
        };
        let width = width.parse::<usize>().unwrap_or(0).min(1024);
        let pad = width.saturating_sub(text.chars().count());
        if left {
            out.push_str(&text);
            out.extend(std::iter::repeat_n(' ', pad));
        } else {
            let fill = if zero && verb != 's' { '0' } else { ' ' };
            out.extend(std::iter::repeat_n(fill, pad));
            out.push_str(&text);
        }
    }
    Ok(out)
}

fn formatlist(a: &[Value]) -> Result<Value, String> {
    let spec = string(a, 0)?;
    let rest = a.get(1..).unwrap_or(&[]);
    let mut len: Option<usize> = None;
    for v in rest {
        if let Value::List(items) = v {
            match len {
                Some(n) if n != items.len() => {
                    return Err("all list arguments must have the same length".into());
                }
                _ => len = Some(items.len()),
            }
        }
    }
    let n = len.unwrap_or(1);
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let row: Vec<Value> = rest
            .iter()
            .map(|v| match v {
                Value::List(items) => items.get(i).cloned().unwrap_or(Value::Null),
                other => other.clone(),
            })
            .collect();
        out.push(Value::String(format(&spec, &row)?));
    }
    Ok(Value::List(out))
}

// ---- encodings ----------------------------------------------------------------

/// Terraform's `jsonencode` escapes `<`, `>` and `&` like Go's encoder.
fn jsonencode(v: &Value) -> String {
    v.to_json()
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

fn jsondecode(a: &[Value]) -> Result<Value, String> {
    let s = string(a, 0)?;
    serde_json::from_str::<serde_json::Value>(&s)
        .map(|j| Value::from_json(&j))
        .map_err(|e| format!("invalid JSON: {e}"))
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(
                    B64.get(((n >> (18 - 6 * i)) & 63) as usize)
                        .copied()
                        .unwrap_or(b'A'),
                ));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn base64decode(a: &[Value]) -> Result<Value, String> {
    let s = string(a, 0)?;
    let mut bits = 0u32;
    let mut nbits = 0;
    let mut out = Vec::with_capacity(s.len() / 4 * 3);
    let body = s.trim_end_matches('=');
    if s.len() % 4 != 0 || s.len() - body.len() > 2 {
        return Err("invalid base64 length or padding".into());
    }
    for c in body.bytes() {
        let v = B64
            .iter()
            .position(|&x| x == c)
            .ok_or_else(|| format!("invalid base64 character {:?}", char::from(c)))?;
        bits = (bits << 6) | v as u32;
        nbits += 6;
        if nbits >= 8 {
            nbits -= 8;
            out.push((bits >> nbits) as u8);
            bits &= (1 << nbits) - 1;
        }
    }
    String::from_utf8(out)
        .map(Value::String)
        .map_err(|_| "decoded bytes are not UTF-8".into())
}

// ---- collections ----------------------------------------------------------------

fn length(a: &[Value]) -> Result<Value, String> {
    match arg(a, 0) {
        Value::List(items) => Ok(Value::Number(items.len() as f64)),
        Value::Object(m) => Ok(Value::Number(m.len() as f64)),
        Value::String(s) => Ok(Value::Number(s.chars().count() as f64)),
        v => Err(format!("cannot take the length of {}", v.type_name())),
    }
}

fn concat(a: &[Value]) -> Result<Value, String> {
    let mut out = Vec::new();
    for i in 0..a.len() {
        out.extend(list(a, i)?.iter().cloned());
    }
    Ok(Value::List(out))
}

fn merge(a: &[Value]) -> Result<Value, String> {
    let mut out = BTreeMap::new();
    for (i, v) in a.iter().enumerate() {
        if *v == Value::Null {
            continue;
        }
        out.extend(object(a, i)?.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    Ok(Value::Object(out))
}

fn lookup(a: &[Value]) -> Result<Value, String> {
    let map = object(a, 0)?;
    if let Value::Unknown(u) = arg(a, 1) {
        return Ok(Value::Unknown(u.clone()));
    }
    let key = string(a, 1)?;
    match (map.get(&key), a.get(2)) {
        (Some(v), _) => Ok(v.clone()),
        (None, Some(default)) => Ok(default.clone()),
        (None, None) => Err(format!("no key \"{key}\" and no default")),
    }
}

fn element(a: &[Value]) -> Result<Value, String> {
    let items = list(a, 0)?;
    if let Value::Unknown(u) = arg(a, 1) {
        return Ok(Value::Unknown(u.clone()));
    }
    let i = int(a, 1)?;
    if items.is_empty() {
        return Err("cannot use element on an empty list".into());
    }
    if i < 0 {
        return Err("index must not be negative".into());
    }
    Ok(items
        .get(i as usize % items.len())
        .cloned()
        .unwrap_or(Value::Null))
}

fn flatten(a: &[Value]) -> Result<Value, String> {
    fn walk(items: &[Value], out: &mut Vec<Value>, depth: u32) -> Option<Value> {
        for v in items {
            match v {
                Value::List(inner) if depth < 64 => {
                    if let Some(u) = walk(inner, out, depth + 1) {
                        return Some(u);
                    }
                }
                // An unknown element might be a list: the shape is unknown.
                Value::Unknown(u) => return Some(Value::Unknown(u.clone())),
                other => out.push(other.clone()),
            }
        }
        None
    }
    let mut out = Vec::new();
    Ok(walk(list(a, 0)?, &mut out, 0).unwrap_or(Value::List(out)))
}

fn distinct(a: &[Value]) -> Result<Value, String> {
    let mut out: Vec<Value> = Vec::new();
    for v in list(a, 0)? {
        if !out.iter().any(|o| equals(o, v) == Some(true)) {
            out.push(v.clone());
        }
    }
    Ok(Value::List(out))
}

/// Sets of strings iterate in lexical order in Terraform.
fn sort_if_strings(v: Value) -> Value {
    match v {
        Value::List(mut items) if items.iter().all(|i| matches!(i, Value::String(_))) => {
            items.sort_by(|x, y| x.as_str().cmp(&y.as_str()));
            Value::List(items)
        }
        other => other,
    }
}

fn sort(a: &[Value]) -> Result<Value, String> {
    let mut items = strings(list(a, 0)?)?;
    items.sort();
    Ok(Value::List(items.into_iter().map(Value::String).collect()))
}

fn slice(a: &[Value]) -> Result<Value, String> {
    let items = list(a, 0)?;
    let (start, end) = (int(a, 1)?, int(a, 2)?);
    if start < 0 || end < start || end as usize > items.len() {
        return Err(format!(
            "indexes {start}..{end} are out of range for {} elements",
            items.len()
        ));
    }
    Ok(Value::List(
        items
            .get(start as usize..end as usize)
            .unwrap_or(&[])
            .to_vec(),
    ))
}

fn compact(a: &[Value]) -> Result<Value, String> {
    let items = list(a, 0)?;
    Ok(Value::List(
        items
            .iter()
            .filter(|v| !matches!(v, Value::Null) && v.as_str() != Some(""))
            .cloned()
            .collect(),
    ))
}

fn zipmap(a: &[Value]) -> Result<Value, String> {
    let keys = list(a, 0)?;
    let values = list(a, 1)?;
    if keys.len() != values.len() {
        return Err("keys and values must have the same length".into());
    }
    let keys = strings(keys)?;
    Ok(Value::Object(
        keys.into_iter().zip(values.iter().cloned()).collect(),
    ))
}

/// Bounds `range()` so a typo cannot allocate gigabytes.
const MAX_RANGE: f64 = 1_000_000.0;

fn range(a: &[Value]) -> Result<Value, String> {
    let (start, limit, step) = match a.len() {
        1 => (0.0, num(a, 0)?, 1.0),
        2 => (num(a, 0)?, num(a, 1)?, 1.0),
        _ => (num(a, 0)?, num(a, 1)?, num(a, 2)?),
    };
    let step = if a.len() < 3 && limit < start {
        -1.0
    } else {
        step
    };
    if step == 0.0 || !step.is_finite() {
        return Err("step must not be zero".into());
    }
    if ((limit - start) / step).abs() > MAX_RANGE {
        return Err("range is too long".into());
    }
    let mut out = Vec::new();
    let mut x = start;
    while (step > 0.0 && x < limit) || (step < 0.0 && x > limit) {
        out.push(Value::Number(x));
        x += step;
    }
    Ok(Value::List(out))
}

fn fold_numbers(a: &[Value], f: fn(f64, f64) -> f64) -> Result<Value, String> {
    let mut acc = num(a, 0)?;
    for i in 1..a.len() {
        acc = f(acc, num(a, i)?);
    }
    Ok(Value::Number(acc))
}

fn coalesce(a: &[Value]) -> Result<Value, String> {
    for v in a {
        match v {
            Value::Unknown(u) => return Ok(Value::Unknown(u.clone())),
            Value::Null => {}
            Value::String(s) if s.is_empty() => {}
            other => return Ok(other.clone()),
        }
    }
    Err("no non-null, non-empty argument".into())
}

fn coalescelist(a: &[Value]) -> Result<Value, String> {
    for v in a {
        match v {
            Value::Unknown(u) => return Ok(Value::Unknown(u.clone())),
            Value::List(items) if items.is_empty() => {}
            Value::List(_) => return Ok(v.clone()),
            other => {
                return Err(format!(
                    "arguments must be lists, not {}",
                    other.type_name()
                ));
            }
        }
    }
    Err("no non-empty list argument".into())
}

// ---- conversions ----------------------------------------------------------------

fn tostring(a: &[Value]) -> Result<Value, String> {
    match arg(a, 0) {
        Value::Null => Ok(Value::Null),
        v => to_string(v)
            .map(Value::String)
            .ok_or_else(|| format!("cannot convert {} to string", v.type_name())),
    }
}

fn tonumber(a: &[Value]) -> Result<Value, String> {
    match arg(a, 0) {
        Value::Null => Ok(Value::Null),
        v => to_number(v)
            .map(Value::Number)
            .ok_or_else(|| format!("cannot convert {} to number", v.to_display())),
    }
}

fn tobool(a: &[Value]) -> Result<Value, String> {
    match arg(a, 0) {
        Value::Null => Ok(Value::Null),
        v => to_bool(v)
            .map(Value::Bool)
            .ok_or_else(|| format!("cannot convert {} to bool", v.to_display())),
    }
}

fn tolist(a: &[Value]) -> Result<Value, String> {
    list(a, 0).map(|l| Value::List(l.to_vec()))
}

// ---- errors and unknowns ----------------------------------------------------------------

fn error_inside(v: &Value) -> bool {
    v.first_unknown()
        .is_some_and(|u| u.kind == UnknownKind::Error)
}

/// The first argument that evaluates without error. An argument that is
/// unknown for another reason (known after apply) may still succeed in
/// Terraform, so the result is unknown rather than a later fallback.
fn try_fn(a: &[Value]) -> Result<Value, String> {
    for v in a {
        if error_inside(v) {
            continue;
        }
        return Ok(v.clone());
    }
    Err("no argument could be evaluated without error".into())
}

fn can(a: &[Value]) -> Result<Value, String> {
    let v = arg(a, 0);
    if error_inside(v) {
        return Ok(Value::Bool(false));
    }
    match v.first_unknown() {
        Some(u) => Ok(Value::Unknown(u.clone())),
        None => Ok(Value::Bool(true)),
    }
}

// ---- networks ----------------------------------------------------------------

/// A prefix as (network address as a number, prefix length, address bits),
/// normalised to its network address as Terraform does.
fn prefix(a: &[Value], i: usize) -> Result<(u128, u32, u32), String> {
    let s = string(a, i)?;
    let net: ipnet::IpNet = s
        .parse()
        .map_err(|_| format!("invalid CIDR prefix \"{s}\""))?;
    let (addr, bits) = match net.network() {
        IpAddr::V4(v4) => (u128::from(u32::from(v4)), 32),
        IpAddr::V6(v6) => (u128::from(v6), 128),
    };
    Ok((addr, u32::from(net.prefix_len()), bits))
}

fn addr_string(n: u128, bits: u32) -> String {
    if bits == 32 {
        Ipv4Addr::from(n as u32).to_string()
    } else {
        Ipv6Addr::from(n).to_string()
    }
}

fn host_size(host_bits: u32) -> u128 {
    if host_bits >= 128 {
        u128::MAX
    } else {
        1u128 << host_bits
    }
}

fn cidrhost(a: &[Value]) -> Result<Value, String> {
    let (base, len, bits) = prefix(a, 0)?;
    let size = host_size(bits - len);
    let n = int(a, 1)?;
    let offset = if n < 0 {
        size.checked_sub(n.unsigned_abs() as u128)
    } else {
        Some(n as u128)
    };
    match offset.filter(|&o| o < size) {
        Some(o) => Ok(Value::String(addr_string(base + o, bits))),
        None => Err(format!("host number {n} does not fit in a /{len}")),
    }
}

fn cidrnetmask(a: &[Value]) -> Result<Value, String> {
    let (_, len, bits) = prefix(a, 0)?;
    if bits != 32 {
        return Err("only IPv4 prefixes have a netmask".into());
    }
    let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
    Ok(Value::String(Ipv4Addr::from(mask).to_string()))
}

fn subnet(
    base: u128,
    len: u32,
    bits: u32,
    newbits: i64,
    netnum: u128,
) -> Result<(u128, u32), String> {
    let new_len = i64::from(len) + newbits;
    if newbits < 0 || new_len > i64::from(bits) {
        return Err(format!("cannot extend a /{len} by {newbits} bits"));
    }
    let new_len = new_len as u32;
    if newbits < 128 && netnum >= (1u128 << newbits) {
        return Err(format!(
            "network number {netnum} does not fit in {newbits} bits"
        ));
    }
    let shift = bits - new_len;
    let offset = if shift >= 128 { 0 } else { netnum << shift };
    Ok((base + offset, new_len))
}

fn cidrsubnet(a: &[Value]) -> Result<Value, String> {
    let (base, len, bits) = prefix(a, 0)?;
    let netnum = int(a, 2)?;
    if netnum < 0 {
        return Err("network number must not be negative".into());
    }
    let (net, new_len) = subnet(base, len, bits, int(a, 1)?, netnum as u128)?;
    Ok(Value::String(format!(
        "{}/{new_len}",
        addr_string(net, bits)
    )))
}

/// Consecutive subnets, each aligned to its own size, as Terraform
/// allocates them.
fn cidrsubnets(a: &[Value]) -> Result<Value, String> {
    let (base, len, bits) = prefix(a, 0)?;
    let end = base.saturating_add(host_size(bits - len));
    let mut next = base;
    let mut out = Vec::new();
    for i in 1..a.len() {
        let newbits = int(a, i)?;
        let (_, new_len) = subnet(base, len, bits, newbits, 0)?;
        let size = host_size(bits - new_len);
        let aligned = next.div_ceil(size).saturating_mul(size);
        if aligned.saturating_add(size) > end {
            return Err(format!("not enough space in /{len} for a /{new_len}"));
        }
        out.push(Value::String(format!(
            "{}/{new_len}",
            addr_string(aligned, bits)
        )));
        next = aligned + size;
    }
    Ok(Value::List(out))
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
mod tests {
    use super::*;

    fn s(x: &str) -> Value {
        Value::String(x.into())
    }
    fn n(x: f64) -> Value {
        Value::Number(x)
    }
    fn l(items: Vec<Value>) -> Value {
        Value::List(items)
    }
    fn o(pairs: &[(&str, Value)]) -> Value {
        Value::Object(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    }
    fn c(name: &str, args: Vec<Value>) -> Value {
        call(name, args, TextRange::default())
    }
    fn is_error(v: &Value) -> bool {
        matches!(v, Value::Unknown(u) if u.kind == UnknownKind::Error)
    }

    #[test]
    fn sets_follow_terraform() {
        let ab = l(vec![s("b"), s("a")]);
        let bc = l(vec![s("c"), s("b")]);
        assert_eq!(
            c("setunion", vec![ab.clone(), bc.clone()]),
            l(vec![s("a"), s("b"), s("c")])
        );
        assert_eq!(
            c("setintersection", vec![ab.clone(), bc.clone()]),
            l(vec![s("b")])
        );
        assert_eq!(
            c("setsubtract", vec![ab.clone(), bc.clone()]),
            l(vec![s("a")])
        );
        assert_eq!(
            c("setproduct", vec![l(vec![s("x")]), ab.clone()]),
            l(vec![l(vec![s("x"), s("b")]), l(vec![s("x"), s("a")])])
        );
        assert_eq!(c("one", vec![l(vec![])]), Value::Null);
        assert_eq!(c("one", vec![l(vec![n(4.0)])]), n(4.0));
        assert!(is_error(&c("one", vec![ab.clone()])));
        assert_eq!(
            c(
                "transpose",
                vec![o(&[("a", l(vec![s("1"), s("2")])), ("b", l(vec![s("2")]))])]
            ),
            o(&[("1", l(vec![s("a")])), ("2", l(vec![s("a"), s("b")]))])
        );
        assert_eq!(
            c("chunklist", vec![l(vec![n(1.0), n(2.0), n(3.0)]), n(2.0)]),
            l(vec![l(vec![n(1.0), n(2.0)]), l(vec![n(3.0)])])
        );
        assert_eq!(c("index", vec![ab.clone(), s("a")]), n(1.0));
        assert!(is_error(&c("index", vec![ab, s("z")])));
        assert_eq!(
            c(
                "matchkeys",
                vec![
                    l(vec![s("i-1"), s("i-2")]),
                    l(vec![s("eu"), s("us")]),
                    l(vec![s("us")])
                ]
            ),
            l(vec![s("i-2")])
        );
        assert_eq!(c("sum", vec![l(vec![n(1.5), n(2.0)])]), n(3.5));
    }

    #[test]
    fn all_and_any_with_unknowns() {
        let later = Value::deferred("later");
        assert_eq!(
            c("alltrue", vec![l(vec![Value::Bool(true), s("true")])]),
            Value::Bool(true)
        );
        assert_eq!(
            c("alltrue", vec![l(vec![later.clone(), Value::Bool(false)])]),
            Value::Bool(false)
        );
        assert!(matches!(
            c("alltrue", vec![l(vec![later.clone()])]),
            Value::Unknown(_)
        ));
        assert_eq!(
            c("anytrue", vec![l(vec![later.clone(), Value::Bool(true)])]),
            Value::Bool(true)
        );
        assert_eq!(c("anytrue", vec![l(vec![])]), Value::Bool(false));
        assert_eq!(c("nonsensitive", vec![later.clone()]), later);
    }

    #[test]
    fn strings_paths_and_encodings() {
        assert_eq!(c("basename", vec![s("foo/bar/baz.txt")]), s("baz.txt"));
        assert_eq!(c("basename", vec![s("dir/")]), s("dir"));
        assert_eq!(c("dirname", vec![s("foo/bar/baz.txt")]), s("foo/bar"));
        assert_eq!(c("dirname", vec![s("baz.txt")]), s("."));
        assert_eq!(c("dirname", vec![s("/x")]), s("/"));
        assert_eq!(c("urlencode", vec![s("Hello World!")]), s("Hello+World%21"));
        assert_eq!(c("urlencode", vec![s("a/b?c=d")]), s("a%2Fb%3Fc%3Dd"));
        assert_eq!(c("strrev", vec![s("héllo")]), s("olléh"));
        assert_eq!(c("indent", vec![n(2.0), s("a\nb")]), s("a\n  b"));
        assert_eq!(c("parseint", vec![s("ff"), n(16.0)]), n(255.0));
        assert_eq!(c("parseint", vec![s("-101"), n(2.0)]), n(-5.0));
        assert!(is_error(&c("parseint", vec![s("zz"), n(10.0)])));
        assert_eq!(c("pow", vec![n(2.0), n(10.0)]), n(1024.0));
        assert_eq!(c("signum", vec![n(-3.0)]), n(-1.0));
        assert_eq!(
            c(
                "yamlencode",
                vec![o(&[
                    ("b", s("x")),
                    ("a", l(vec![n(1.0), o(&[("k", Value::Bool(true))])]))
                ])]
            ),
            s("\"a\":\n- 1\n- \"k\": true\n\"b\": \"x\"\n")
        );
        assert_eq!(
            c("yamlencode", vec![o(&[("a", o(&[("b", Value::Null)]))])]),
            s("\"a\":\n  \"b\": null\n")
        );
        assert_eq!(c("yamlencode", vec![l(vec![])]), s("[]\n"));
    }

    #[test]
    fn json() {
        assert_eq!(
            c("jsonencode", vec![o(&[("a", l(vec![n(1.0), s("<b>")]))])]),
            s(r#"{"a":[1,"\u003cb\u003e"]}"#)
        );
        assert_eq!(
            c("jsondecode", vec![s(r#"{"x": [1, true, null]}"#)]),
            o(&[("x", l(vec![n(1.0), Value::Bool(true), Value::Null]))])
        );
        assert!(is_error(&c("jsondecode", vec![s("{")])));
    }

    #[test]
    fn case() {
        assert_eq!(c("lower", vec![s("HikVision")]), s("hikvision"));
        assert_eq!(c("upper", vec![s("dahua")]), s("DAHUA"));
        assert_eq!(c("title", vec![s("hello world-cam")]), s("Hello World-Cam"));
    }

    #[test]
    fn format_verbs() {
        let args = vec![
            s("%s-%03d %v %q %.2f %t %5s|%-3s| 100%%"),
            s("cam"),
            n(7.0),
            l(vec![n(1.0)]),
            s("q"),
            n(1.23456),
            Value::Bool(true),
            s("r"),
            s("l"),
        ];
        assert_eq!(
            c("format", args),
            s(r#"cam-007 [1] "q" 1.23 true     r|l  | 100%"#)
        );
        assert!(is_error(&c("format", vec![s("%d"), n(1.5)])));
        assert!(is_error(&c("format", vec![s("%s")])));
    }

    #[test]
    fn formatlist_zips() {
        assert_eq!(
            c(
                "formatlist",
                vec![s("%s=%s"), l(vec![s("a"), s("b")]), s("x")]
            ),
            l(vec![s("a=x"), s("b=x")])
        );
        assert!(is_error(&c(
            "formatlist",
            vec![s("%s%s"), l(vec![s("a")]), l(vec![])]
        )));
    }

    #[test]
    fn join_split_replace() {
        assert_eq!(
            c(
                "join",
                vec![s(","), l(vec![s("a"), n(1.0)]), l(vec![s("b")])]
            ),
            s("a,1,b")
        );
        assert_eq!(
            c("split", vec![s(","), s("a,,b")]),
            l(vec![s("a"), s(""), s("b")])
        );
        assert_eq!(c("replace", vec![s("a-b-c"), s("-"), s("_")]), s("a_b_c"));
        assert_eq!(
            c(
                "replace",
                vec![s("cam01"), s("/([a-z]+)(\\d+)/"), s("$2-$1")]
            ),
            s("01-cam")
        );
    }

    #[test]
    fn trimming() {
        assert_eq!(c("trimspace", vec![s("  x \n")]), s("x"));
        assert_eq!(c("trim", vec![s("?!hello?!"), s("!?")]), s("hello"));
        assert_eq!(c("trimprefix", vec![s("cam-01"), s("cam-")]), s("01"));
        assert_eq!(c("trimsuffix", vec![s("cam-01"), s("-01")]), s("cam"));
        assert_eq!(c("chomp", vec![s("x\r\n\n")]), s("x"));
    }

    #[test]
    fn substrings_and_tests() {
        assert_eq!(
            c("substr", vec![s("héllo world"), n(1.0), n(4.0)]),
            s("éllo")
        );
        assert_eq!(c("substr", vec![s("hello"), n(-3.0), n(-1.0)]), s("llo"));
        assert_eq!(
            c("startswith", vec![s("DS-2CD"), s("DS-")]),
            Value::Bool(true)
        );
        assert_eq!(
            c("endswith", vec![s("DS-2CD"), s("DS")]),
            Value::Bool(false)
        );
        assert_eq!(
            c("strcontains", vec![s("hikvision"), s("vis")]),
            Value::Bool(true)
        );
    }

    #[test]
    fn regexes() {
        assert_eq!(c("regex", vec![s("[a-z]+"), s("123abc456")]), s("abc"));
        assert_eq!(
            c("regex", vec![s("(\\d+)-(\\d+)"), s("a 10-20")]),
            l(vec![s("10"), s("20")])
        );
        assert_eq!(
            c("regex", vec![s("(?P<vendor>[A-Z]+)-"), s("DS-x")]),
            o(&[("vendor", s("DS"))])
        );
        assert!(is_error(&c("regex", vec![s("x"), s("abc")])));
        assert_eq!(
            c("regexall", vec![s("\\d"), s("a1b2")]),
            l(vec![s("1"), s("2")])
        );
    }

    #[test]
    fn collections() {
        assert_eq!(
            c("concat", vec![l(vec![n(1.0)]), l(vec![n(2.0)])]),
            l(vec![n(1.0), n(2.0)])
        );
        assert_eq!(
            c(
                "merge",
                vec![
                    o(&[("a", n(1.0)), ("b", n(1.0))]),
                    Value::Null,
                    o(&[("b", n(2.0))])
                ]
            ),
            o(&[("a", n(1.0)), ("b", n(2.0))])
        );
        assert_eq!(c("lookup", vec![o(&[("a", n(1.0))]), s("a")]), n(1.0));
        assert_eq!(
            c("lookup", vec![o(&[("a", n(1.0))]), s("z"), s("d")]),
            s("d")
        );
        assert!(is_error(&c("lookup", vec![o(&[]), s("z")])));
        assert_eq!(c("coalesce", vec![Value::Null, s(""), s("x")]), s("x"));
        assert_eq!(
            c("coalescelist", vec![l(vec![]), l(vec![n(1.0)])]),
            l(vec![n(1.0)])
        );
        assert_eq!(
            c("compact", vec![l(vec![s("a"), s(""), Value::Null, s("b")])]),
            l(vec![s("a"), s("b")])
        );
        assert_eq!(
            c("contains", vec![l(vec![s("a"), s("b")]), s("b")]),
            Value::Bool(true)
        );
        assert_eq!(
            c("contains", vec![l(vec![s("1")]), n(1.0)]),
            Value::Bool(false)
        );
        assert_eq!(
            c("distinct", vec![l(vec![s("a"), s("b"), s("a")])]),
            l(vec![s("a"), s("b")])
        );
        assert_eq!(c("element", vec![l(vec![s("a"), s("b")]), n(3.0)]), s("b"));
        assert_eq!(
            c(
                "flatten",
                vec![l(vec![l(vec![n(1.0), l(vec![n(2.0)])]), n(3.0)])]
            ),
            l(vec![n(1.0), n(2.0), n(3.0)])
        );
        assert_eq!(
            c("keys", vec![o(&[("b", n(1.0)), ("a", n(2.0))])]),
            l(vec![s("a"), s("b")])
        );
        assert_eq!(
            c("values", vec![o(&[("b", n(1.0)), ("a", n(2.0))])]),
            l(vec![n(2.0), n(1.0)])
        );
        assert_eq!(c("length", vec![s("héllo")]), n(5.0));
        assert_eq!(c("length", vec![o(&[("a", n(1.0))])]), n(1.0));
        assert_eq!(
            c("reverse", vec![l(vec![n(1.0), n(2.0)])]),
            l(vec![n(2.0), n(1.0)])
        );
        assert_eq!(
            c(
                "slice",
                vec![l(vec![n(1.0), n(2.0), n(3.0)]), n(1.0), n(3.0)]
            ),
            l(vec![n(2.0), n(3.0)])
        );
        assert!(is_error(&c("slice", vec![l(vec![n(1.0)]), n(0.0), n(2.0)])));
        assert_eq!(
            c("sort", vec![l(vec![s("b"), s("a"), s("c")])]),
            l(vec![s("a"), s("b"), s("c")])
        );
        assert_eq!(
            c(
                "zipmap",
                vec![l(vec![s("a"), s("b")]), l(vec![n(1.0), n(2.0)])]
            ),
            o(&[("a", n(1.0)), ("b", n(2.0))])
        );
        assert_eq!(c("range", vec![n(3.0)]), l(vec![n(0.0), n(1.0), n(2.0)]));
        assert_eq!(
            c("range", vec![n(1.0), n(7.0), n(3.0)]),
            l(vec![n(1.0), n(4.0)])
        );
        assert_eq!(
            c("range", vec![n(3.0), n(0.0)]),
            l(vec![n(3.0), n(2.0), n(1.0)])
        );
        assert!(is_error(&c("range", vec![n(1e12)])));
    }

    #[test]
    fn conversions() {
        assert_eq!(c("tostring", vec![n(8080.0)]), s("8080"));
        assert_eq!(c("tonumber", vec![s("1.5")]), n(1.5));
        assert!(is_error(&c("tonumber", vec![s("x")])));
        assert_eq!(c("tobool", vec![s("true")]), Value::Bool(true));
        assert_eq!(c("tolist", vec![l(vec![n(1.0)])]), l(vec![n(1.0)]));
        assert_eq!(
            c("toset", vec![l(vec![s("b"), s("a"), s("b")])]),
            l(vec![s("a"), s("b")])
        );
        assert_eq!(c("tomap", vec![o(&[("a", n(1.0))])]), o(&[("a", n(1.0))]));
    }

    #[test]
    fn numbers() {
        assert_eq!(c("min", vec![n(3.0), n(1.0), n(2.0)]), n(1.0));
        assert_eq!(c("max", vec![n(3.0), s("5"), n(2.0)]), n(5.0));
        assert_eq!(c("abs", vec![n(-2.5)]), n(2.5));
        assert_eq!(c("ceil", vec![n(1.2)]), n(2.0));
        assert_eq!(c("floor", vec![n(1.8)]), n(1.0));
    }

    #[test]
    fn cidr() {
        assert_eq!(
            c("cidrhost", vec![s("10.12.112.0/20"), n(16.0)]),
            s("10.12.112.16")
        );
        assert_eq!(
            c("cidrhost", vec![s("10.0.0.0/24"), n(-2.0)]),
            s("10.0.0.254")
        );
        assert_eq!(
            c("cidrhost", vec![s("fd00:fd12:3456:7890::/56"), n(16.0)]),
            s("fd00:fd12:3456:7800::10")
        );
        assert!(is_error(&c("cidrhost", vec![s("10.0.0.0/30"), n(4.0)])));
        assert_eq!(
            c("cidrsubnet", vec![s("172.16.0.0/12"), n(4.0), n(2.0)]),
            s("172.18.0.0/16")
        );
        assert_eq!(
            c("cidrsubnet", vec![s("10.1.2.0/24"), n(4.0), n(15.0)]),
            s("10.1.2.240/28")
        );
        assert_eq!(
            c(
                "cidrsubnet",
                vec![s("fd00:fd12:3456:7890::/56"), n(16.0), n(162.0)]
            ),
            s("fd00:fd12:3456:7800:a200::/72")
        );
        assert!(is_error(&c(
            "cidrsubnet",
            vec![s("10.0.0.0/24"), n(4.0), n(16.0)]
        )));
        assert_eq!(
            c(
                "cidrsubnets",
                vec![s("10.1.0.0/16"), n(4.0), n(4.0), n(8.0), n(4.0)]
            ),
            l(vec![
                s("10.1.0.0/20"),
                s("10.1.16.0/20"),
                s("10.1.32.0/24"),
                s("10.1.48.0/20")
            ])
        );
        assert_eq!(c("cidrnetmask", vec![s("172.16.0.0/12")]), s("255.240.0.0"));
    }

    #[test]
    fn base64() {
        for (plain, enc) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("Hello, World", "SGVsbG8sIFdvcmxk"),
        ] {
            assert_eq!(c("base64encode", vec![s(plain)]), s(enc));
            assert_eq!(c("base64decode", vec![s(enc)]), s(plain));
        }
        assert!(is_error(&c("base64decode", vec![s("Zg=")])));
    }

    #[test]
    fn unknowns_and_errors() {
        let later = Value::deferred("netbox_device.x.id is known only after apply");
        let err = Value::error("boom", TextRange::default());
        assert_eq!(c("upper", vec![later.clone()]), later);
        assert_eq!(
            c("upper", vec![l(vec![later.clone()])]),
            later,
            "deep unknowns block plain functions"
        );
        assert_eq!(c("length", vec![l(vec![later.clone(), n(1.0)])]), n(2.0));
        assert_eq!(c("try", vec![err.clone(), s("fallback")]), s("fallback"));
        assert_eq!(c("try", vec![later.clone(), s("fallback")]), later);
        assert_eq!(c("can", vec![err]), Value::Bool(false));
        assert_eq!(c("can", vec![s("x")]), Value::Bool(true));
        assert_eq!(c("can", vec![later.clone()]), later);
        let v = c("frobnicate", vec![]);
        assert!(
            matches!(&v, Value::Unknown(u) if u.kind == UnknownKind::Unsupported && u.reason == "function frobnicate is not supported")
        );
        assert!(is_error(&c("upper", vec![])));
        assert_eq!(c("core::upper", vec![s("a")]), s("A"));
    }
}
