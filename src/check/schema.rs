//! JSON Schema validation (drafts 2020-12, 2019-09, 7, 6 and 4; the draft is read from the
//! schema's `$schema`) with the `jsonschema` crate. Every violation becomes one line naming the
//! JSON Pointer in the document and the place in the schema:
//! `/data/employee_no: "123" is not of type "integer" (at /properties/data/properties/employee_no/type)`.
//!
//! `$ref`s inside the schema resolve; references to other files or URLs do not, so validating
//! never reads a file or sends a request the suite did not ask for.

use serde_json::Value;

/// The violations of `schema` by `instance`, or why the schema itself is unusable.
pub fn violations(schema: &Value, instance: &Value) -> Result<Vec<String>, String> {
    Ok(violations_of(&compile(schema)?, instance))
}

/// A validator for `schema`, or why the schema is unusable; build it once per schema file.
pub fn compile(schema: &Value) -> Result<jsonschema::Validator, String> {
    jsonschema::validator_for(schema).map_err(|e| e.to_string())
}

/// The violations of a compiled schema by `instance`.
pub fn violations_of(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    // Asking yes or no first is several times cheaper than collecting errors.
    if validator.is_valid(instance) {
        return Vec::new();
    }
    validator
        .iter_errors(instance)
        .take(50)
        .map(|e| {
            let at = e.instance_path().to_string();
            let at = if at.is_empty() { "/".to_string() } else { at };
            let schema_at = e.schema_path().to_string();
            format!(
                "{at}: {e} (at {})",
                if schema_at.is_empty() {
                    "/"
                } else {
                    &schema_at
                }
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn employee_schema() -> Value {
        json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$defs": {"employee": {"type": "object", "required": ["employee_no", "name"], "properties": {
                "employee_no": {"type": "integer"}, "name": {"type": "string", "minLength": 1}}}},
            "type": "object",
            "properties": {"data": {"$ref": "#/$defs/employee"}}
        })
    }

    #[test]
    fn valid_documents_have_no_violations() {
        let doc = json!({"data": {"employee_no": 123, "name": "John Doe"}});
        assert!(violations(&employee_schema(), &doc).unwrap().is_empty());
    }

    #[test]
    fn every_violation_names_its_pointer_and_schema_place() {
        let doc = json!({"data": {"employee_no": "123", "name": ""}});
        let found = violations(&employee_schema(), &doc).unwrap();
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found
                .iter()
                .any(|v| v.starts_with("/data/employee_no: \"123\" is not of type \"integer\"")),
            "{found:?}"
        );
        assert!(
            found.iter().any(|v| v.starts_with("/data/name:")),
            "{found:?}"
        );
        assert!(found.iter().all(|v| v.contains("(at /")), "{found:?}");
    }

    #[test]
    fn older_drafts_and_a_bad_schema() {
        let draft4 = json!({"$schema": "http://json-schema.org/draft-04/schema#", "type": "object", "required": ["a"]});
        assert_eq!(violations(&draft4, &json!({})).unwrap().len(), 1);
        assert!(violations(&json!({"type": "no-such-type"}), &json!(1)).is_err());
    }
}
