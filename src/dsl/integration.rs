//! The integration as a whole: package metadata, policy templates and their
//! inputs, data streams (fields, pipeline, agent templates), changelog and
//! README template. Everything the package directory holds comes from here.

use crate::dsl::field::{Field, FieldDecl, Group};
use crate::dsl::pipeline::Pipeline;
use crate::value::Value;
use indexmap::IndexMap;

#[derive(Debug, Clone, PartialEq)]
pub struct Integration {
    pub name: String,
    pub title: String,
    pub version: String,
    pub description: String,
    pub format_version: String,
    pub owner_github: String,
    /// `elastic`, `partner` or `community`.
    pub owner_type: String,
    pub categories: Vec<String>,
    /// `conditions.kibana.version`, e.g. `^8.12.0`.
    pub kibana_version: Option<String>,
    /// `conditions.elastic.subscription`, e.g. `basic`.
    pub subscription: Option<String>,
    pub policy_templates: Vec<PolicyTemplate>,
    pub data_streams: Vec<DataStream>,
    /// Newest first.
    pub changelog: Vec<Release>,
    /// The `_dev/build/docs/README.md` template (elastic-package syntax).
    pub readme: String,
    /// Keys for `{{ url "key" }}`.
    pub links: IndexMap<String, String>,
    pub icons: Vec<Image>,
    pub screenshots: Vec<Image>,
    /// Texts `{{ inputDocs }}` shows per input type (see `package::readme`).
    pub input_docs: IndexMap<String, String>,
}

impl Integration {
    pub fn new(name: &str, title: &str, version: &str) -> Integration {
        Integration {
            name: name.to_string(),
            title: title.to_string(),
            version: version.to_string(),
            description: title.to_string(),
            format_version: "3.0.2".to_string(),
            owner_github: "elastic/integrations".to_string(),
            owner_type: "community".to_string(),
            categories: Vec::new(),
            kibana_version: None,
            subscription: None,
            policy_templates: Vec::new(),
            data_streams: Vec::new(),
            changelog: Vec::new(),
            readme: String::new(),
            links: IndexMap::new(),
            icons: Vec::new(),
            screenshots: Vec::new(),
            input_docs: IndexMap::new(),
        }
    }

    pub fn description(mut self, text: &str) -> Integration {
        self.description = text.to_string();
        self
    }
    pub fn format_version(mut self, v: &str) -> Integration {
        self.format_version = v.to_string();
        self
    }
    pub fn owner(mut self, github: &str, owner_type: &str) -> Integration {
        self.owner_github = github.to_string();
        self.owner_type = owner_type.to_string();
        self
    }
    pub fn categories<S: Into<String>>(mut self, cats: impl IntoIterator<Item = S>) -> Integration {
        self.categories = cats.into_iter().map(Into::into).collect();
        self
    }
    pub fn kibana_version(mut self, constraint: &str) -> Integration {
        self.kibana_version = Some(constraint.to_string());
        self
    }
    pub fn subscription(mut self, level: &str) -> Integration {
        self.subscription = Some(level.to_string());
        self
    }
    pub fn policy_template(mut self, t: PolicyTemplate) -> Integration {
        self.policy_templates.push(t);
        self
    }
    pub fn data_stream(mut self, ds: DataStream) -> Integration {
        self.data_streams.push(ds);
        self
    }
    pub fn release(mut self, r: Release) -> Integration {
        self.changelog.push(r);
        self
    }
    pub fn readme(mut self, template: &str) -> Integration {
        self.readme = template.to_string();
        self
    }
    /// An icon; the file itself goes under `assets/` (see `package::emit`).
    pub fn icon(mut self, image: Image) -> Integration {
        self.icons.push(image);
        self
    }
    pub fn screenshot(mut self, image: Image) -> Integration {
        self.screenshots.push(image);
        self
    }
    pub fn input_documentation(mut self, input_type: &str, markdown: &str) -> Integration {
        self.input_docs
            .insert(input_type.to_string(), markdown.to_string());
        self
    }
    pub fn link(mut self, key: &str, url: &str) -> Integration {
        self.links.insert(key.to_string(), url.to_string());
        self
    }
}

/// An icon or screenshot of the manifest: `src` is the package path
/// (`/img/logo.svg`).
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    pub src: String,
    pub title: String,
    pub size: Option<String>,
    pub media_type: Option<String>,
}

impl Image {
    pub fn new(src: &str, title: &str) -> Image {
        Image { src: src.into(), title: title.into(), size: None, media_type: None }
    }
    pub fn size(mut self, size: &str) -> Image {
        self.size = Some(size.into());
        self
    }
    /// `image/svg+xml`, `image/png`, ...
    pub fn media_type(mut self, media_type: &str) -> Image {
        self.media_type = Some(media_type.into());
        self
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct PolicyTemplate {
    pub name: String,
    pub title: String,
    pub description: String,
    pub inputs: Vec<Input>,
}

impl PolicyTemplate {
    pub fn new(name: &str, title: &str, description: &str) -> PolicyTemplate {
        PolicyTemplate {
            name: name.into(),
            title: title.into(),
            description: description.into(),
            inputs: Vec::new(),
        }
    }
    pub fn input(mut self, input: Input) -> PolicyTemplate {
        self.inputs.push(input);
        self
    }
}

/// An input of a policy template: its type and the variables it shares with
/// every stream that uses it.
#[derive(Debug, Clone, PartialEq)]
pub struct Input {
    pub input_type: String,
    pub title: String,
    pub description: String,
    pub vars: Vec<Var>,
}

impl Input {
    pub fn new(input_type: &str, title: &str, description: &str) -> Input {
        Input {
            input_type: input_type.into(),
            title: title.into(),
            description: description.into(),
            vars: Vec::new(),
        }
    }
    pub fn var(mut self, var: Var) -> Input {
        self.vars.push(var);
        self
    }
}

/// A configuration variable (`vars[]` of an input or stream).
#[derive(Debug, Clone, PartialEq)]
pub struct Var {
    pub name: String,
    /// `text`, `password`, `bool`, `integer`, `yaml`, ...
    pub var_type: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub multi: Option<bool>,
    pub required: Option<bool>,
    pub show_user: Option<bool>,
    pub default: Option<Value>,
    pub secret: Option<bool>,
}

impl Var {
    pub fn new(name: &str, var_type: &str) -> Var {
        Var {
            name: name.into(),
            var_type: var_type.into(),
            title: None,
            description: None,
            multi: None,
            required: None,
            show_user: None,
            default: None,
            secret: None,
        }
    }
    pub fn text(name: &str) -> Var {
        Var::new(name, "text")
    }
    pub fn bool(name: &str) -> Var {
        Var::new(name, "bool")
    }
    pub fn yaml(name: &str) -> Var {
        Var::new(name, "yaml")
    }
    pub fn password(name: &str) -> Var {
        Var {
            secret: Some(true),
            ..Var::new(name, "password")
        }
    }
    pub fn title(mut self, t: &str) -> Var {
        self.title = Some(t.into());
        self
    }
    pub fn description(mut self, d: &str) -> Var {
        self.description = Some(d.into());
        self
    }
    pub fn multi(mut self, b: bool) -> Var {
        self.multi = Some(b);
        self
    }
    pub fn required(mut self, b: bool) -> Var {
        self.required = Some(b);
        self
    }
    pub fn show_user(mut self, b: bool) -> Var {
        self.show_user = Some(b);
        self
    }
    pub fn default(mut self, v: impl Into<Value>) -> Var {
        self.default = Some(v.into());
        self
    }
    pub fn secret(mut self, b: bool) -> Var {
        self.secret = Some(b);
        self
    }
}

/// A stream of a data stream: one input with its agent template.
#[derive(Debug, Clone, PartialEq)]
pub struct Stream {
    pub input: String,
    pub title: String,
    pub description: String,
    /// The agent stream template (Handlebars), `agent/stream/<input>.yml.hbs`.
    pub template: String,
    /// Its file name when not `<input>.yml.hbs`.
    pub template_name: Option<String>,
    pub vars: Vec<Var>,
    pub enabled: Option<bool>,
}

impl Stream {
    pub fn new(input: &str, title: &str, description: &str) -> Stream {
        Stream {
            input: input.into(),
            title: title.into(),
            description: description.into(),
            template: String::new(),
            template_name: None,
            vars: Vec::new(),
            enabled: None,
        }
    }
    pub fn template(mut self, hbs: &str) -> Stream {
        self.template = hbs.to_string();
        self
    }
    /// Names the template file (`log.yml.hbs`) instead of `<input>.yml.hbs`.
    pub fn template_name(mut self, file_name: &str) -> Stream {
        self.template_name = Some(file_name.to_string());
        self
    }
    pub fn var(mut self, var: Var) -> Stream {
        self.vars.push(var);
        self
    }
    pub fn enabled(mut self, b: bool) -> Stream {
        self.enabled = Some(b);
        self
    }
    /// The template's file name under `agent/stream/`.
    pub fn template_file(&self) -> String {
        self.template_name.clone().unwrap_or_else(|| format!("{}.yml.hbs", self.input))
    }
}

/// Static checks a data stream may waive, for a named field or tag (or `*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// A processor writes a field that is neither declared nor ECS.
    UndeclaredWrite,
    /// A field is read that nothing writes and no input provides.
    UnwrittenRead,
    /// A literal or copied value does not fit the field's mapping type.
    WrongType,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DataStream {
    pub name: String,
    pub title: String,
    /// `logs` or `metrics`.
    pub data_type: String,
    pub streams: Vec<Stream>,
    pub groups: Vec<Group>,
    pub fields: Vec<FieldDecl>,
    /// ECS fields the inputs provide (readable without a write).
    pub input_ecs_fields: Vec<Field>,
    /// Non-ECS fields the inputs provide, emitted in `agent.yml`.
    pub input_fields: Vec<FieldDecl>,
    /// ECS fields to reference beyond those the pipeline writes.
    pub extra_ecs_fields: Vec<Field>,
    pub pipeline: Pipeline,
    /// Sample event JSON text, kept as written.
    pub sample_event: Option<String>,
    pub allowed: Vec<(Check, String)>,
}

impl DataStream {
    pub fn new(name: &str, title: &str) -> DataStream {
        DataStream {
            name: name.into(),
            title: title.into(),
            data_type: "logs".into(),
            streams: Vec::new(),
            groups: Vec::new(),
            fields: Vec::new(),
            input_ecs_fields: Vec::new(),
            input_fields: Vec::new(),
            extra_ecs_fields: Vec::new(),
            pipeline: Pipeline::new(""),
            sample_event: None,
            allowed: Vec::new(),
        }
    }
    pub fn data_type(mut self, t: &str) -> DataStream {
        self.data_type = t.into();
        self
    }
    pub fn stream(mut self, s: Stream) -> DataStream {
        self.streams.push(s);
        self
    }
    /// Declares a group and its fields (emitted in `fields.yml`).
    pub fn group(
        mut self,
        group: &Group,
        fields: impl IntoIterator<Item = FieldDecl>,
    ) -> DataStream {
        self.groups.push(group.clone());
        self.fields.extend(fields);
        self
    }
    /// Declares top-level fields.
    pub fn fields(mut self, fields: impl IntoIterator<Item = FieldDecl>) -> DataStream {
        self.fields.extend(fields);
        self
    }
    /// ECS fields the inputs put in the event (e.g. `message`).
    pub fn input_provides(
        mut self,
        fields: impl IntoIterator<Item = impl Into<Field>>,
    ) -> DataStream {
        self.input_ecs_fields
            .extend(fields.into_iter().map(Into::into));
        self
    }
    /// Non-ECS fields the inputs put in the event (e.g. `input.type`).
    pub fn input_fields(mut self, fields: impl IntoIterator<Item = FieldDecl>) -> DataStream {
        self.input_fields.extend(fields);
        self
    }
    pub fn ecs_fields(mut self, fields: impl IntoIterator<Item = impl Into<Field>>) -> DataStream {
        self.extra_ecs_fields
            .extend(fields.into_iter().map(Into::into));
        self
    }
    pub fn pipeline(mut self, p: Pipeline) -> DataStream {
        self.pipeline = p;
        self
    }
    pub fn sample_event(mut self, json: &str) -> DataStream {
        self.sample_event = Some(json.to_string());
        self
    }
    /// Waives a check for a field name or tag; `*` waives it for all.
    pub fn allow(mut self, check: Check, subject: &str) -> DataStream {
        self.allowed.push((check, subject.to_string()));
        self
    }
    pub fn is_allowed(&self, check: Check, subject: &str) -> bool {
        self.allowed
            .iter()
            .any(|(c, s)| *c == check && (s == "*" || s == subject))
    }
    /// `<package>.<data stream>`.
    pub fn dataset(&self, package: &str) -> String {
        format!("{package}.{}", self.name)
    }
}

/// One changelog entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Release {
    pub version: String,
    pub changes: Vec<Change>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub description: String,
    /// `enhancement`, `bugfix`, `breaking-change` or `deprecation`.
    pub change_type: String,
    pub link: String,
}

impl Release {
    pub fn new(version: &str) -> Release {
        Release {
            version: version.into(),
            changes: Vec::new(),
        }
    }
    pub fn change(mut self, change_type: &str, description: &str, link: &str) -> Release {
        self.changes.push(Change {
            description: description.into(),
            change_type: change_type.into(),
            link: link.into(),
        });
        self
    }
}
