//! `kplay-schema-gen`: writes `crates/core/src/api/schema.txt`, the compact field schema that
//! kplay-core's strict decoding reads, from k8s-openapi's JSON schemas. kplay-core itself no
//! longer links k8s-openapi (it costs too much Wasm size), so the schema is generated here.
//!
//! `cargo run -p kplay-schema-gen --profile tools` regenerates the file;
//! `cargo run -p kplay-schema-gen --profile tools -- --check` fails if it is out of date.

mod definitions;
mod render;

use std::path::Path;
use std::process::ExitCode;

/// Where the generated schema lives, relative to this crate.
const OUTPUT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../core/src/api/schema.txt");

/// The generated file's path relative to the workspace root, for messages.
const OUTPUT_NAME: &str = "crates/core/src/api/schema.txt";

/// Generates the schema text from k8s-openapi's definitions.
fn generate() -> Result<render::Rendered, String> {
    let definitions = definitions::generate();
    render::render(&definitions.schemas, &definitions.roots)
}

fn main() -> ExitCode {
    let check = match std::env::args().skip(1).collect::<Vec<_>>().as_slice() {
        [] => false,
        [flag] if flag == "--check" => true,
        _ => {
            eprintln!("usage: kplay-schema-gen [--check]");
            return ExitCode::from(2);
        }
    };
    match run(check) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kplay-schema-gen: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Generates the schema and writes it, or with `check` compares it with the file on disk.
fn run(check: bool) -> Result<(), String> {
    let rendered = generate()?;
    let path = Path::new(OUTPUT);
    for note in &rendered.notes {
        eprintln!("kplay-schema-gen: note: {note}");
    }
    if check {
        let current =
            std::fs::read_to_string(path).map_err(|e| format!("cannot read {OUTPUT_NAME}: {e}"))?;
        if current != rendered.text {
            return Err(format!(
                "{OUTPUT_NAME} is out of date; regenerate it with `cargo run -p kplay-schema-gen --profile tools`"
            ));
        }
        eprintln!("kplay-schema-gen: {OUTPUT_NAME} is up to date");
        return Ok(());
    }
    std::fs::write(path, &rendered.text).map_err(|e| format!("cannot write {OUTPUT_NAME}: {e}"))?;
    eprintln!(
        "kplay-schema-gen: {} types, {} fields, {} bytes written to {OUTPUT_NAME}",
        rendered.types,
        rendered.fields,
        rendered.text.len(),
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `<ty>` of `field` on the line of `key` in the generated text.
    fn field_ty<'t>(text: &'t str, key: &str, field: &str) -> Option<&'t str> {
        let line = text
            .lines()
            .find(|line| line.split(' ').next() == Some(key))?;
        line.split(' ')
            .skip(1)
            .find_map(|item| item.strip_prefix(field)?.strip_prefix('='))
    }

    #[test]
    fn representative_fields_map_to_their_ty() {
        let rendered = generate().expect("the k8s-openapi schemas map");
        let cases = [
            ("core.v1.Container", "ports", "[@core.v1.ContainerPort"),
            ("core.v1.Container", "args", "[s"),
            ("core.v1.ContainerPort", "containerPort", "i"),
            ("apps.v1.DeploymentSpec", "replicas", "i"),
            ("apps.v1.DeploymentSpec", "revisionHistoryLimit", "i"),
            (
                "apps.v1.DeploymentSpec",
                "selector",
                "@meta.v1.LabelSelector",
            ),
            ("apps.v1.DeploymentSpec", "paused", "b"),
            ("apps.v1.Deployment", "kind", "s"),
            ("meta.v1.ObjectMeta", "labels", "{s"),
            ("meta.v1.ObjectMeta", "creationTimestamp", "t"),
            ("meta.v1.ObjectMeta", "generation", "l"),
            ("meta.v1.ManagedFieldsEntry", "fieldsV1", "j"),
            ("apps.v1.RollingUpdateDeployment", "maxSurge", "o"),
            ("core.v1.ServicePort", "targetPort", "o"),
            ("core.v1.ResourceRequirements", "limits", "{q"),
            ("core.v1.PodSpec", "containers", "[@core.v1.Container"),
            ("core.v1.PodSpec", "terminationGracePeriodSeconds", "l"),
            ("core.v1.Event", "eventTime", "m"),
            ("core.v1.ConfigMap", "binaryData", "{s"),
            (
                "discovery.v1.EndpointSlice",
                "endpoints",
                "[@discovery.v1.Endpoint",
            ),
            (
                "networking.v1.NetworkPolicySpec",
                "podSelector",
                "@meta.v1.LabelSelector",
            ),
        ];
        for (key, field, want) in cases {
            assert_eq!(
                field_ty(&rendered.text, key, field),
                Some(want),
                "{key} field {field}"
            );
        }
    }

    #[test]
    fn special_types_have_no_line_of_their_own() {
        let rendered = generate().expect("the k8s-openapi schemas map");
        for key in ["meta.v1.Time", "meta.v1.MicroTime", "meta.v1.FieldsV1"] {
            assert_eq!(field_ty(&rendered.text, key, ""), None, "{key}");
            assert!(!rendered.text.contains(&format!("@{key} ")), "{key}");
        }
        assert!(!rendered.text.contains("Quantity"));
        assert!(!rendered.text.contains("IntOrString"));
    }

    #[test]
    fn lines_are_sorted_and_well_formed() {
        let rendered = generate().expect("the k8s-openapi schemas map");
        let mut lines = rendered.text.lines();
        assert_eq!(lines.next(), Some(render::HEADER));
        let lines: Vec<&str> = lines.collect();
        assert_eq!(lines.len(), rendered.types);
        assert!(lines.windows(2).all(|pair| pair[0] < pair[1]));
        for line in &lines {
            let items: Vec<&str> = line.split(' ').collect();
            let fields = &items[1..];
            assert!(!fields.is_empty(), "{line}");
            assert!(fields.windows(2).all(|pair| pair[0] < pair[1]), "{line}");
            assert!(fields.iter().all(|f| f.contains('=')), "{line}");
        }
        assert!(rendered.text.ends_with('\n'));
        assert!(rendered.notes.is_empty(), "{:?}", rendered.notes);
    }

    #[test]
    fn every_reference_has_a_line() {
        let rendered = generate().expect("the k8s-openapi schemas map");
        let lines = rendered.text.lines().skip(1);
        let keys: Vec<&str> = lines.clone().filter_map(|l| l.split(' ').next()).collect();
        let tys = lines.flat_map(|l| l.split(' ').skip(1).filter_map(|f| f.split_once('=')));
        for (field, ty) in tys {
            if let Some(key) = ty.trim_start_matches(['[', '{']).strip_prefix('@') {
                assert!(keys.contains(&key), "{field}=@{key} has no line");
            }
        }
    }

    #[test]
    fn the_committed_file_is_up_to_date() {
        let rendered = generate().expect("the k8s-openapi schemas map");
        let committed = std::fs::read_to_string(OUTPUT).expect("schema.txt exists");
        assert!(
            committed == rendered.text,
            "{OUTPUT_NAME} is out of date; run `cargo run -p kplay-schema-gen --profile tools`"
        );
    }
}
