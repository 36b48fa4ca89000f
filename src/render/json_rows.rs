//! JSON written a row at a time: an answer of thousands of rows, each
//! shared by hundreds of parties, is a tree many times its text.

use serde_json::Value;

/// The object `head` with `key` set to the array of `rows`, as text: the
/// text the whole tree prints (its keys in order), each row's tree made and
/// written in turn rather than all held at once.
pub fn with_rows(head: &Value, key: &str, rows: impl Iterator<Item = Value>) -> String {
    let mut keys: Vec<(&str, Option<&Value>)> = head
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(k, _)| k.as_str() != key)
        .map(|(k, v)| (k.as_str(), Some(v)))
        .collect();
    // The map's keys come sorted, as printing the whole tree writes them.
    keys.insert(keys.partition_point(|(k, _)| *k < key), (key, None));
    let mut rows = Some(rows);
    let mut out = String::from("{");
    for (i, (k, v)) in keys.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&Value::String((*k).to_string()).to_string());
        out.push(':');
        match v {
            Some(v) => out.push_str(&v.to_string()),
            None => {
                out.push('[');
                for (j, r) in rows.take().into_iter().flatten().enumerate() {
                    if j > 0 {
                        out.push(',');
                    }
                    out.push_str(&r.to_string());
                }
                out.push(']');
            }
        }
    }
    out.push('}');
    out
}

/// The object `head` with `key` set to the array of `rows`: the tree whose
/// text [`with_rows`] writes.
pub fn tree_with_rows(mut head: Value, key: &str, rows: impl Iterator<Item = Value>) -> Value {
    if let Some(o) = head.as_object_mut() {
        o.insert(key.to_string(), Value::Array(rows.collect()));
    }
    head
}
