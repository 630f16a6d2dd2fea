//! Serde reads a struct from a JSON array as readily as from an object (fields by position),
//! so `"context": []` would be taken as an empty context. Every struct in our formats is a
//! JSON object and nothing else: these helpers read one only from an object, and say
//! "expected a JSON object" otherwise.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};

/// A `T` read only from a JSON object.
pub(crate) struct Obj<T>(pub(crate) T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Obj<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Only<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for Only<T> {
            type Value = T;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map))
            }
        }
        d.deserialize_map(Only(PhantomData)).map(Obj)
    }
}

/// For `#[serde(deserialize_with = "object")]` on a `T` field.
pub(crate) fn object<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<T, D::Error> {
    Obj::deserialize(d).map(|o| o.0)
}

/// For an `Option<T>` field (`null` is `None`).
pub(crate) fn optional_object<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    Option::<Obj<T>>::deserialize(d).map(|o| o.map(|o| o.0))
}

/// For a `Vec<T>` field: a JSON array of objects.
pub(crate) fn objects<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Vec<T>, D::Error> {
    Vec::<Obj<T>>::deserialize(d).map(|v| v.into_iter().map(|o| o.0).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Inner {
        #[serde(default)]
        a: Option<u8>,
    }

    #[derive(Debug, serde::Deserialize)]
    struct Outer {
        #[serde(default, deserialize_with = "optional_object")]
        one: Option<Inner>,
        #[serde(default, deserialize_with = "objects")]
        many: Vec<Inner>,
    }

    #[test]
    fn objects_are_read_and_arrays_refused() {
        let o: Outer =
            serde_json::from_str(r#"{"one":{"a":1},"many":[{},{"a":2}]}"#).expect("objects");
        assert_eq!(o.one, Some(Inner { a: Some(1) }));
        assert_eq!(o.many, vec![Inner { a: None }, Inner { a: Some(2) }]);
        let o: Outer = serde_json::from_str(r#"{"one":null}"#).expect("null");
        assert_eq!(o.one, None);
        // Without the helpers serde would take these as an empty `Inner` and `Inner { a: 3 }`.
        for bad in [r#"{"one":[]}"#, r#"{"many":[[3]]}"#, r#"{"one":[1]}"#] {
            let e = serde_json::from_str::<Outer>(bad)
                .expect_err(bad)
                .to_string();
            assert!(e.contains("expected a JSON object"), "{bad}: {e}");
        }
        assert!(serde_json::from_str::<Obj<Inner>>("[]").is_err());
    }
}
