//! Microsoft Exchange Online Message Trace, written in the DSL.
//!
//! One data stream, `log`, fed by three inputs that all deliver one message
//! trace record per event as JSON in `message`:
//! - `cel`: the Microsoft Graph `messageTraces` API (camelCase records);
//! - `httpjson`: the legacy Reporting Web Service (PascalCase records),
//!   kept for users who have not migrated yet;
//! - `logfile`: records exported to files (PascalCase, e.g. by
//!   `Get-MessageTraceV2 | ConvertTo-Json`).
//!
//! Graph records are renamed onto the legacy (PascalCase) field names first,
//! so the rest of the pipeline, the field list and any saved searches work on
//! one shape. The pipeline below reads top to bottom like the one it emits.
//!
//! Fixtures: `sample_events/log/` holds the pipeline-test cases (legacy,
//! Graph, bad records, local domains unset or given as one string).
//! Lines that are not JSON cannot be among them: elastic-package fails any
//! case whose result has `error.message`, even when expected. They are
//! covered by tests/message_trace_parity.rs instead, against the seed's
//! pipeline too.

use crate::dsl::prelude::*;

/// The package version this code builds.
pub const VERSION: &str = "2.0.0";

const CEL_TEMPLATE: &str = include_str!("agent/stream/cel.yml.hbs");
const HTTPJSON_TEMPLATE: &str = include_str!("agent/stream/httpjson.yml.hbs");
const LOGFILE_TEMPLATE: &str = include_str!("agent/stream/logfile.yml.hbs");
const README: &str = include_str!("docs/README.md");
const SAMPLE_EVENT: &str = include_str!("sample_event.json");

/// The fields of one trace record, under `microsoft.online_message_trace`.
pub struct TraceFields {
    pub group: Group,
    pub end_date: FieldDecl,
    pub from_ip: FieldDecl,
    pub index: FieldDecl,
    pub message_id: FieldDecl,
    pub message_trace_id: FieldDecl,
    pub organization: FieldDecl,
    pub received: FieldDecl,
    pub recipient_address: FieldDecl,
    pub sender_address: FieldDecl,
    pub size: FieldDecl,
    pub start_date: FieldDecl,
    pub status: FieldDecl,
    pub subject: FieldDecl,
    pub to_ip: FieldDecl,
}

impl TraceFields {
    pub fn new() -> TraceFields {
        let group = Group::new("microsoft.online_message_trace")
            .description("One message trace record, as Exchange Online reports it.");
        TraceFields {
            end_date: group.date_nanos("EndDate").description(
                "Legacy API only: end of the reporting window the record was requested for.",
            ),
            from_ip: group.keyword("FromIP").description(
                "IPv4 or IPv6 address that handed the message to Exchange Online (Graph: `fromIP`).",
            ),
            index: group
                .long("Index")
                .description("Legacy API only: position of the record in its result page."),
            message_id: group.keyword("MessageId").description(
                "Internet Message-ID header of the message, when it had one (Graph: `messageId`).",
            ),
            message_trace_id: group.keyword("MessageTraceId").description(
                "Identifier of the trace record, used to ask for its details (Graph: `id`).",
            ),
            organization: group.keyword("Organization").description(
                "Legacy API only: fully qualified domain name of the organization that processed the message.",
            ),
            received: group.date_nanos("Received").description(
                "When Exchange Online received the message (Graph: `receivedDateTime`).",
            ),
            recipient_address: group.keyword("RecipientAddress").description(
                "SMTP address of the recipient of this trace record (Graph: `recipientAddress`).",
            ),
            sender_address: group.keyword("SenderAddress").description(
                "SMTP address the message claims to be from; `<>` for a null sender such as a bounce (Graph: `senderAddress`).",
            ),
            size: group
                .long("Size")
                .description("Size of the message (Graph: `size`).")
                .unit("byte"),
            start_date: group.date_nanos("StartDate").description(
                "Legacy API only: start of the reporting window the record was requested for.",
            ),
            status: group.keyword("Status").description(
                "Delivery status as reported, e.g. Delivered, Failed, Pending, Quarantined, FilteredAsSpam (Graph: `status`).",
            ),
            subject: group
                .keyword("Subject")
                .description("Subject line of the message, if it had one (Graph: `subject`)."),
            to_ip: group.keyword("ToIP").description(
                "IPv4 or IPv6 address Exchange Online sent the message to (Graph: `toIP`).",
            ),
            group,
        }
    }

    fn decls(&self) -> Vec<FieldDecl> {
        vec![
            self.end_date.clone(),
            self.from_ip.clone(),
            self.index.clone(),
            self.message_id.clone(),
            self.message_trace_id.clone(),
            self.organization.clone(),
            self.received.clone(),
            self.recipient_address.clone(),
            self.sender_address.clone(),
            self.size.clone(),
            self.start_date.clone(),
            self.status.clone(),
            self.subject.clone(),
            self.to_ip.clone(),
        ]
    }

    /// Graph's camelCase property names and the legacy field each maps to.
    fn graph_names(&self) -> Vec<(&'static str, &FieldDecl)> {
        vec![
            ("id", &self.message_trace_id),
            ("messageId", &self.message_id),
            ("receivedDateTime", &self.received),
            ("senderAddress", &self.sender_address),
            ("recipientAddress", &self.recipient_address),
            ("subject", &self.subject),
            ("status", &self.status),
            ("size", &self.size),
            ("fromIP", &self.from_ip),
            ("toIP", &self.to_ip),
        ]
    }
}

impl Default for TraceFields {
    fn default() -> Self {
        TraceFields::new()
    }
}

/// A string field that is set and not empty.
fn non_empty(f: &Field) -> Cond {
    f.exists() & !f.eq("")
}

/// Both timestamp shapes the APIs produce: the legacy service's seven
/// fractional digits with an offset, and ISO 8601 (Graph, file exports).
const DATE_FORMATS: [&str; 2] = ["yyyy-MM-dd'T'HH:mm:ss.SSSSSSSZ", "ISO8601"];

/// Case-insensitive email direction from the configured local domains.
const DIRECTION_SCRIPT: &str = r#"
// A policy gives a list; a hand-written config may give one string.
def configured = ctx._conf.local_domains;
List locals = new ArrayList();
for (def d : (configured instanceof List ? configured : [configured])) {
  if (d != null) {
    locals.add(d.toString().trim().toLowerCase());
  }
}
// Domain names are case-insensitive: CONTOSO.COM is contoso.com.
def src = ctx.source?.domain;
def dst = ctx.destination?.domain;
boolean fromLocal = src instanceof String && locals.contains(src.toLowerCase());
boolean toLocal = dst instanceof String && locals.contains(dst.toLowerCase());
// Without either domain (no address, or addresses without `@`) there
// is nothing to compare.
if (!(src instanceof String) && !(dst instanceof String)) {
  return;
}
if (ctx.email == null) {
  ctx.email = new HashMap();
}
if (fromLocal) {
  ctx.email.direction = toLocal ? 'internal' : 'outbound';
} else {
  ctx.email.direction = toLocal ? 'inbound' : 'external';
}
"#;

/// `user.*` hold one value unless both parties are local users.
const SINGLE_USER_SCRIPT: &str = r#"
if (ctx.user instanceof Map) {
  for (String key : ['name', 'email', 'id']) {
    def v = ctx.user[key];
    if (v instanceof List && v.size() == 1) {
      ctx.user[key] = v[0];
    }
  }
}
"#;

/// Records carry explicit nulls and empty strings for absent values; an
/// empty value says nothing and would only fail a typed mapping.
const DROP_EMPTY_SCRIPT: &str = r#"
boolean isEmpty(def v) {
  if (v == null || (v instanceof String && v == '')) {
    return true;
  }
  if (v instanceof Map) {
    v.values().removeIf(x -> isEmpty(x));
    return v.isEmpty();
  }
  if (v instanceof List) {
    v.removeIf(x -> isEmpty(x));
    return v.isEmpty();
  }
  return false;
}
isEmpty(ctx);
"#;

/// The ingest pipeline of the `log` data stream.
pub fn pipeline(t: &TraceFields) -> Pipeline {
    let from = Field::temp("_temp_.email.from.address");
    let to = Field::temp("_temp_.email.to.address");
    let from_user = Field::temp("_temp_.from_user_name");
    let from_domain = Field::temp("_temp_.from_user_domain");
    let to_user = Field::temp("_temp_.to_user_name");
    let to_domain = Field::temp("_temp_.to_user_domain");
    let local_domains = Field::temp("_conf.local_domains");
    let dir = ecs::EMAIL_DIRECTION;
    // The user.* fields name the organization's own users: the recipient of
    // inbound mail, the sender of outbound mail, both for internal mail.
    let to_is_local = dir.is_in(["inbound", "internal"]);
    let from_is_local = dir.is_in(["outbound", "internal"]);

    let mut processors = vec![
        rename(ecs::MESSAGE, ecs::EVENT_ORIGINAL)
            .ignore_missing()
            .ignore_failure()
            .when(ecs::EVENT_ORIGINAL.is_null()),
        set(ecs::ECS_VERSION, "8.11.0"),
        json(ecs::EVENT_ORIGINAL).target(&t.group),
        // A response page without records (the legacy API's `"value": []`,
        // or an empty Graph page) is not an event.
        drop().when(painless(
            "ctx.microsoft?.online_message_trace?.value instanceof List && ctx.microsoft.online_message_trace.value.isEmpty()",
        )),
        set(ecs::EVENT_KIND, "event"),
        append(ecs::EVENT_CATEGORY, "email"),
        append(ecs::EVENT_TYPE, "info"),
    ];
    // Graph records: onto the legacy names, so both APIs index alike.
    for (graph, legacy) in t.graph_names() {
        processors.push(rename(t.group.field().child(graph), legacy).ignore_missing());
    }
    processors.extend([
        set(ecs::EVENT_OUTCOME, "success").when(t.status.eq_ignore_case("delivered")),
        set(ecs::EVENT_OUTCOME, "failure").when(t.status.eq_ignore_case("failed")),
        set(ecs::EVENT_OUTCOME, "unknown").when(ecs::EVENT_OUTCOME.is_null()),
        // `<>` is the null reverse path of bounces and notifications: there
        // is no sender to name.
        copy(&t.sender_address, from.clone())
            .ignore_empty_value()
            .when(!t.sender_address.field().eq("<>")),
        append(ecs::EMAIL_FROM_ADDRESS, "{{{_temp_.email.from.address}}}").when(from.exists()),
        copy(&from, ecs::SOURCE_USER_ID).ignore_empty_value(),
        copy(&from, ecs::SOURCE_USER_EMAIL).ignore_empty_value(),
        copy(&t.message_trace_id, ecs::EMAIL_LOCAL_ID).ignore_empty_value(),
        copy(&t.to_ip, ecs::DESTINATION_IP).ignore_empty_value(),
        copy(&t.size, ecs::EMAIL_ATTACHMENTS_FILE_SIZE).ignore_empty_value(),
        copy(&t.received, ecs::EMAIL_DELIVERY_TIMESTAMP).ignore_empty_value(),
        copy(&t.subject, ecs::EMAIL_SUBJECT).ignore_empty_value(),
        copy(&t.recipient_address, to.clone()).ignore_empty_value(),
        append(ecs::EMAIL_TO_ADDRESS, "{{{_temp_.email.to.address}}}").when(to.exists()),
        copy(&to, ecs::DESTINATION_USER_ID).ignore_empty_value(),
        copy(&to, ecs::DESTINATION_USER_EMAIL).ignore_empty_value(),
        copy(&t.from_ip, ecs::SOURCE_IP).ignore_empty_value(),
        copy(&t.message_id, ecs::EMAIL_MESSAGE_ID).ignore_empty_value(),
        // A record without a receive time keeps the ingest time rather than
        // failing as a whole.
        date(ecs::EMAIL_DELIVERY_TIMESTAMP, DATE_FORMATS)
            .when(ecs::EMAIL_DELIVERY_TIMESTAMP.exists()),
        date(&t.start_date, DATE_FORMATS)
            .target(ecs::EVENT_START)
            .when(t.start_date.exists()),
        date(&t.end_date, DATE_FORMATS)
            .target(ecs::EVENT_END)
            .when(t.end_date.exists()),
        geoip(ecs::SOURCE_IP, Field::named("source.geo")).ignore_missing(),
        geoip(ecs::DESTINATION_IP, Field::named("destination.geo")).ignore_missing(),
        geoip(ecs::SOURCE_IP, Field::named("source.as"))
            .database_file("GeoLite2-ASN.mmdb")
            .properties(["asn", "organization_name"])
            .ignore_missing(),
        rename(Field::named("source.as.asn"), ecs::SOURCE_AS_NUMBER).ignore_missing(),
        rename(
            Field::named("source.as.organization_name"),
            ecs::SOURCE_AS_ORGANIZATION_NAME,
        )
        .ignore_missing(),
        geoip(ecs::DESTINATION_IP, Field::named("destination.as"))
            .database_file("GeoLite2-ASN.mmdb")
            .properties(["asn", "organization_name"])
            .ignore_missing(),
        rename(
            Field::named("destination.as.asn"),
            ecs::DESTINATION_AS_NUMBER,
        )
        .ignore_missing(),
        rename(
            Field::named("destination.as.organization_name"),
            ecs::DESTINATION_AS_ORGANIZATION_NAME,
        )
        .ignore_missing(),
        // Addresses without `@` (seen in real feeds: distribution list
        // expansions, malformed headers) have no domain; they are kept as
        // addresses and not parsed.
        grok(from.clone(), ["^%{DATA}@%{DATA:source.domain}$"])
            .ignore_missing()
            .when(from.contains("@")),
        grok(to.clone(), ["^%{DATA}@%{DATA:destination.domain}$"])
            .ignore_missing()
            .when(to.contains("@")),
        registered_domain(ecs::DESTINATION_DOMAIN, Field::named("destination")).ignore_missing(),
        registered_domain(ecs::SOURCE_DOMAIN, Field::named("source")).ignore_missing(),
        script(DIRECTION_SCRIPT)
            .description("Email direction from the configured local domains, case-insensitively.")
            .reads([
                local_domains.clone(),
                ecs::SOURCE_DOMAIN,
                ecs::DESTINATION_DOMAIN,
            ])
            .writes([ecs::EMAIL_DIRECTION])
            .when(local_domains.exists()),
        append(ecs::RELATED_USER, "{{{_temp_.email.to.address}}}")
            .opt("allow_duplicates", false)
            .when(non_empty(&to)),
        append(ecs::RELATED_USER, "{{{_temp_.email.from.address}}}")
            .opt("allow_duplicates", false)
            .when(non_empty(&from)),
        dissect(
            to.clone(),
            "%{_temp_.to_user_name}@%{_temp_.to_user_domain}",
        )
        .ignore_missing()
        .when(to.contains("@")),
        append(ecs::RELATED_USER, "{{{_temp_.to_user_name}}}")
            .opt("allow_duplicates", false)
            .when(non_empty(&to_user)),
        dissect(
            from.clone(),
            "%{_temp_.from_user_name}@%{_temp_.from_user_domain}",
        )
        .ignore_missing()
        .when(from.contains("@")),
        append(ecs::RELATED_USER, "{{{_temp_.from_user_name}}}")
            .opt("allow_duplicates", false)
            .when(non_empty(&from_user)),
        append(ecs::USER_NAME, "{{{_temp_.to_user_name}}}")
            .opt("allow_duplicates", false)
            .when(non_empty(&to_user) & to_is_local.clone()),
        append(ecs::USER_NAME, "{{{_temp_.from_user_name}}}")
            .opt("allow_duplicates", false)
            .when(non_empty(&from_user) & from_is_local.clone()),
        append(ecs::USER_EMAIL, "{{{_temp_.email.to.address}}}")
            .opt("allow_duplicates", false)
            .when(non_empty(&to) & to_is_local.clone()),
        append(ecs::USER_EMAIL, "{{{_temp_.email.from.address}}}")
            .opt("allow_duplicates", false)
            .when(non_empty(&from) & from_is_local.clone()),
        append(ecs::USER_ID, "{{{_temp_.email.to.address}}}")
            .opt("allow_duplicates", false)
            .when(non_empty(&to) & to_is_local),
        append(ecs::USER_ID, "{{{_temp_.email.from.address}}}")
            .opt("allow_duplicates", false)
            .when(non_empty(&from) & from_is_local),
        script(SINGLE_USER_SCRIPT)
            .description("A single user.* value as a keyword, not a one-element list.")
            .reads([ecs::USER_NAME, ecs::USER_EMAIL, ecs::USER_ID])
            .writes([ecs::USER_NAME, ecs::USER_EMAIL, ecs::USER_ID])
            .when(ecs::USER_NAME.exists() | ecs::USER_EMAIL.exists() | ecs::USER_ID.exists()),
        copy(&to_user, ecs::DESTINATION_USER_NAME).when(non_empty(&to_user)),
        copy(&to_domain, ecs::DESTINATION_USER_DOMAIN).when(non_empty(&to_domain)),
        copy(&from_user, ecs::SOURCE_USER_NAME).when(non_empty(&from_user)),
        copy(&from_domain, ecs::SOURCE_USER_DOMAIN).when(non_empty(&from_domain)),
        // The document id makes re-fetched records (overlapping windows,
        // the legacy look-back) duplicates. It hashes the reported status,
        // not event.outcome: a message moving from Pending to
        // FilteredAsSpam (both outcome `unknown`) is a new record.
        fingerprint(
            [
                ecs::EMAIL_FROM_ADDRESS,
                ecs::EMAIL_TO_ADDRESS,
                ecs::EMAIL_MESSAGE_ID,
                ecs::EMAIL_LOCAL_ID,
                ecs::EMAIL_SUBJECT,
                t.status.field(),
                ecs::EMAIL_ATTACHMENTS_FILE_SIZE,
            ],
            Field::named("_id"),
        )
        .ignore_missing(),
        remove([Field::temp("_temp_")])
            .ignore_failure()
            .ignore_missing(),
        remove([Field::temp("_conf")])
            .ignore_failure()
            .ignore_missing(),
        remove([ecs::EVENT_ORIGINAL])
            .ignore_failure()
            .ignore_missing()
            .when(!ecs::TAGS.contains("preserve_original_event")),
        script(DROP_EMPTY_SCRIPT).description("Drops null and empty values recursively."),
    ]);
    Pipeline::new("Pipeline for processing Microsoft Exchange Online Message Trace logs")
        .processors(processors)
        .on_failure_record_error()
}

fn text(name: &str, title: &str, description: &str) -> Var {
    Var::text(name)
        .title(title)
        .description(description)
        .multi(false)
}

fn tags(default: &[&str]) -> Var {
    Var::text("tags")
        .title("Tags")
        .description("Tags added to every event of this stream.")
        .multi(true)
        .required(true)
        .show_user(false)
        .default(Value::List(
            default.iter().map(|t| Value::from(*t)).collect(),
        ))
}

fn preserve_original_event() -> Var {
    Var::bool("preserve_original_event")
        .title("Preserve original event")
        .description("Keep the raw record in `event.original`.")
        .multi(false)
        .required(true)
        .show_user(true)
        .default(false)
}

fn processors() -> Var {
    Var::yaml("processors")
        .title("Processors")
        .description("Agent processors run on each event before it is sent to Elasticsearch. See [Processors](https://www.elastic.co/guide/en/beats/filebeat/current/filtering-and-enhancing-data.html).")
        .multi(false)
        .required(false)
        .show_user(false)
}

fn request_tracer() -> Var {
    Var::bool("enable_request_tracer")
        .title("Enable request tracing")
        .description("Write every request and response to the agent's log directory, for debugging. The trace contains message data; do not leave it on.")
        .multi(false)
        .required(false)
        .show_user(false)
        .default(false)
}

fn local_domains() -> Var {
    Var::text("local_domains")
        .title("Local Domains")
        .description("Domains the organization owns, compared case-insensitively. They decide `email.direction` and which party `user.*` names. Leave empty to skip both.")
        .multi(true)
        .required(false)
        .show_user(true)
}

fn proxy_url() -> Var {
    text(
        "proxy_url",
        "Proxy URL",
        "Proxy for the API requests, as http[s]://<user>:<password>@<host>:<port> (user and password URL-encoded).",
    )
    .required(false)
    .show_user(false)
}

fn ssl() -> Var {
    Var::yaml("ssl")
        .title("SSL Configuration")
        .description("TLS settings for the API requests: certificate_authorities, supported_protocols, verification_mode, ...")
        .multi(false)
        .required(false)
        .show_user(false)
        .default("#certificate_authorities:\n#  - /etc/pki/ca.pem\n#verification_mode: full\n")
}

fn graph_input() -> Input {
    Input::new(
        "cel",
        "Collect message traces through the Microsoft Graph API",
        "Collecting Exchange Online message traces from Microsoft Graph (messageTraces)",
    )
    .var(text("url", "Graph API URL", "Base URL of Microsoft Graph.").default("https://graph.microsoft.com").required(true).show_user(false))
    .var(text("client_id", "Client ID", "Application (client) ID of the Entra app registration.").required(true).show_user(true))
    .var(Var::password("client_secret").title("Client Secret").description("Client secret of the Entra app registration.").multi(false).required(true).show_user(true))
    .var(text("tenant_id", "Tenant ID", "Directory (tenant) ID of the Entra tenant.").required(true).show_user(true))
    .var(text("token_url", "Token URL", "OAuth2 token endpoint. Leave empty for https://login.microsoftonline.com/<tenant ID>/oauth2/v2.0/token; set it for national clouds.").required(false).show_user(false))
    .var(Var::text("scopes").title("OAuth2 Scopes").description("Scopes requested with the client credentials.").multi(true).required(true).show_user(false).default(vec![Value::from("https://graph.microsoft.com/.default")]))
    .var(text("timeout", "Request Timeout", "How long one API request may take (ns, us, ms, s, m, h).").default("60s").required(true).show_user(false))
    .var(proxy_url())
    .var(ssl())
    .var(local_domains())
}

fn legacy_input() -> Input {
    Input::new(
        "httpjson",
        "Collect message traces through the Reporting Web Service (deprecated)",
        "Collecting Exchange Online message traces from the legacy Reporting Web Service, which Microsoft is retiring; use the Graph API input instead",
    )
    .var(text("url", "URL", "MessageTrace endpoint of the Reporting Web Service.").default("https://reports.office365.com/ecp/reportingwebservice/reporting.svc/MessageTrace").required(true).show_user(true))
    .var(text("client_id", "Client ID", "Application (client) ID of the Entra app registration.").required(true).show_user(true))
    .var(Var::password("client_secret").title("Client Secret").description("Client secret of the Entra app registration.").multi(false).required(true).show_user(true))
    .var(text("tenant_id", "Tenant ID", "Directory (tenant) ID of the Entra tenant.").required(true).show_user(true))
    .var(Var::text("scopes").title("OAuth2 Scopes").description("Scopes requested with the client credentials. Scopes and the Azure resource exclude each other: leave the scopes empty to use the resource.").multi(true).required(false).show_user(false).default(vec![Value::from("https://outlook.office365.com/.default")]))
    .var(text("login_url", "OAuth Server URL", "Login server; `/<tenant ID>/<token endpoint>` is appended.").default("https://login.microsoftonline.com").required(true).show_user(false))
    .var(text("token_url", "OAuth Token Endpoint", "Token endpoint path on the login server.").default("oauth2/v2.0/token").required(true).show_user(false))
    .var(text("azure_resource", "Azure Resource", "Resource to request a token for when no scopes are set.").required(false).show_user(false))
    .var(text("request_timeout", "Request Timeout", "How long one API request may take (ns, us, ms, s, m, h).").default("60s").required(true).show_user(true))
    .var(proxy_url())
    .var(ssl())
    .var(local_domains())
}

fn logfile_input() -> Input {
    Input::new(
        "logfile",
        "Collect message traces from files",
        "Collecting Exchange Online message traces exported to files, one JSON record per line",
    )
    .var(local_domains())
}

fn graph_stream() -> Stream {
    Stream::new(
        "cel",
        "Microsoft Exchange Online Message Trace logs (Graph API)",
        "Collect message traces from the Microsoft Graph messageTraces API",
    )
    .template(CEL_TEMPLATE)
    .var(text("interval", "Interval", "How often to poll for new traces (h/m/s).").default("5m").required(true).show_user(true))
    .var(text("initial_interval", "Initial Interval", "How far back the first poll reaches (h/m/s). Graph keeps traces for 90 days; older starts are clamped to that.").default("24h").required(true).show_user(true))
    .var(text("min_age", "Minimum Age", "Traces younger than this are left for a later poll, as Exchange still adds and updates them (h/m/s).").default("10m").required(true).show_user(false))
    .var(Var::new("batch_size", "integer").title("Batch Size").description("Records per page ($top), at most 5000.").multi(false).default(1000i64).required(true).show_user(false))
    .var(request_tracer())
    .var(preserve_original_event())
    .var(tags(&["forwarded"]))
    .var(processors())
}

fn legacy_stream() -> Stream {
    Stream::new(
        "httpjson",
        "Microsoft Exchange Online Message Trace logs (Reporting Web Service, deprecated)",
        "Collect message traces from the legacy Reporting Web Service",
    )
    .template(HTTPJSON_TEMPLATE)
    .enabled(false)
    .var(text("interval", "Interval", "How often to poll for new traces (h/m/s).").default("1h").required(true).show_user(true))
    .var(text("initial_interval", "Initial Interval", "How far back the first poll reaches, at most 200h (h/m/s).").default("1h").required(true).show_user(true))
    .var(text("additional_look_back", "Additional Look-back Time", "Each poll also asks again for this much time before the previous end, as the service reports late records (h/m/s).").default("1h").required(true).show_user(true))
    .var(Var::new("batch_size", "integer").title("Batch Size").description("Records per page ($top), at most 2000.").multi(false).default(1000i64).required(true).show_user(false))
    .var(request_tracer())
    .var(preserve_original_event())
    .var(tags(&["forwarded"]))
    .var(processors())
}

fn logfile_stream() -> Stream {
    Stream::new(
        "logfile",
        "Microsoft Exchange Online Message Trace logs (files)",
        "Collect message traces from files",
    )
    .template(LOGFILE_TEMPLATE)
    .enabled(false)
    .var(
        Var::text("paths")
            .title("Paths")
            .description("Files to read, one JSON record per line.")
            .multi(true)
            .required(true)
            .show_user(true),
    )
    .var(preserve_original_event())
    .var(tags(&["forwarded"]))
    .var(processors())
}

/// The package.
pub fn integration() -> Integration {
    let trace = TraceFields::new();
    let log = DataStream::new("log", "Microsoft Exchange Online Message Trace logs")
        .stream(graph_stream())
        .stream(legacy_stream())
        .stream(logfile_stream())
        .input_provides([ecs::MESSAGE, ecs::TAGS, ecs::LOG_FILE_PATH])
        // The agent templates set the policy's local domains here.
        .input_provides([Field::temp("_conf.local_domains")])
        .input_fields([
            FieldDecl::new("input.type", FieldType::Keyword)
                .description("Type of the input that collected the event."),
            FieldDecl::new("log.offset", FieldType::Long)
                .description("Offset of the line in the file."),
        ])
        .group(&trace.group, trace.decls())
        // What geoip and registered_domain write into their target objects.
        .ecs_fields([
            ecs::SOURCE_GEO_CITY_NAME,
            ecs::SOURCE_GEO_CONTINENT_NAME,
            ecs::SOURCE_GEO_COUNTRY_ISO_CODE,
            ecs::SOURCE_GEO_COUNTRY_NAME,
            ecs::SOURCE_GEO_LOCATION,
            ecs::SOURCE_GEO_REGION_ISO_CODE,
            ecs::SOURCE_GEO_REGION_NAME,
            ecs::SOURCE_REGISTERED_DOMAIN,
            ecs::SOURCE_SUBDOMAIN,
            ecs::SOURCE_TOP_LEVEL_DOMAIN,
            ecs::DESTINATION_GEO_CITY_NAME,
            ecs::DESTINATION_GEO_CONTINENT_NAME,
            ecs::DESTINATION_GEO_COUNTRY_ISO_CODE,
            ecs::DESTINATION_GEO_COUNTRY_NAME,
            ecs::DESTINATION_GEO_LOCATION,
            ecs::DESTINATION_GEO_REGION_ISO_CODE,
            ecs::DESTINATION_GEO_REGION_NAME,
            ecs::DESTINATION_REGISTERED_DOMAIN,
            ecs::DESTINATION_SUBDOMAIN,
            ecs::DESTINATION_TOP_LEVEL_DOMAIN,
        ])
        .pipeline(pipeline(&trace))
        .sample_event(SAMPLE_EVENT);

    let mut package = Integration::new(
        "microsoft_exchange_online_message_trace",
        "Microsoft Exchange Online Message Trace",
        VERSION,
    )
    .description("Collect Microsoft Exchange Online message traces from the Microsoft Graph API, the legacy Reporting Web Service or files.")
    .owner("elastic/security-service-integrations", "elastic")
    .categories(["security", "email_security"])
    .kibana_version("^8.13.0")
    .subscription("basic")
    .icon(Image::new("/img/logo.svg", "Microsoft Exchange Online Message Trace logo").size("32x32").media_type("image/svg+xml"))
    .policy_template(
        PolicyTemplate::new(
            "microsoft_exchange_online_message_trace",
            "Microsoft Exchange Online Message Trace",
            "Microsoft Exchange Online Message Trace logs",
        )
        .input(graph_input())
        .input(legacy_input())
        .input(logfile_input()),
    )
    .data_stream(log)
    .link("graph_onboarding", "https://learn.microsoft.com/en-us/exchange/monitoring/trace-an-email-message/graph-api-message-trace")
    .link("graph_list", "https://learn.microsoft.com/en-us/graph/api/messagetracingroot-list-messagetraces?view=graph-rest-beta")
    .input_documentation("cel", "Polls the Microsoft Graph `messageTraces` API with OAuth2 client credentials.")
    .input_documentation("httpjson", "Polls the legacy Reporting Web Service `MessageTrace` endpoint (deprecated).")
    .input_documentation("logfile", "Reads message trace records, one JSON object per line, from files on the agent's host.")
    .readme(README);
    for release in changelog() {
        package = package.release(release);
    }
    package
}

/// Newest first. The 2.0.0 entries are the deliberate differences from the
/// seed (1.21.2) output; tests/message_trace_parity.rs asserts each.
pub fn changelog() -> Vec<Release> {
    const PR: &str = "https://github.com/elastic/integrations/pull/0";
    vec![
        Release::new("2.0.0")
            .change("breaking-change", "Collect from the Microsoft Graph messageTraces API (CEL input); the Reporting Web Service input is deprecated and disabled by default.", PR)
            .change("enhancement", "Map Graph records (camelCase) onto the existing microsoft.online_message_trace.* fields.", PR)
            .change("enhancement", "Set event.kind `event`, event.category `email` and event.type `info`.", PR)
            .change("bugfix", "Compare local domains case-insensitively when deriving email.direction.", PR)
            .change("bugfix", "Treat the null sender `<>` as no sender instead of failing the record.", PR)
            .change("bugfix", "Keep addresses without `@` instead of failing the record.", PR)
            .change("bugfix", "Keep records without a receive time instead of failing them.", PR)
            .change("bugfix", "Fix operator precedence of the user.* conditions, which named local users for every internal message.", PR)
            .change("bugfix", "Compute the document `_id` over the reported status rather than event.outcome, so status changes are not dropped as duplicates.", PR)
            .change("enhancement", "Name the failing processor and its tag in error.message.", PR)
            .change("enhancement", "Make local domains optional on every input; without them email.direction and user.* are not set.", PR)
            .change("bugfix", "Default tags of the logfile stream are `forwarded` only (no longer `microsoft-defender-endpoint`).", PR),
        Release::new("1.21.2")
            .change("bugfix", "Fix template to not fail without local domains.", "https://github.com/elastic/integrations/pull/10172"),
    ]
}
