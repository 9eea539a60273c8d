//! MaxMind databases as the `geoip` processor reads them.
//!
//! Mirrors Elasticsearch's `Database` (which properties each kind of
//! database offers and which it writes by default) and `MaxmindIpDataLookups`
//! (what each property is made of). Databases are opened once per process
//! and shared between processors through an [`Arc`].

use crate::error::EsError;
use crate::inet::{format_ip, parse_ip};
use crate::value::{Map, Value};
use maxminddb::{geoip2, Reader};
use std::collections::HashMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::SystemTime;

pub mod writer;

/// The kinds of MaxMind database Elasticsearch knows, from the suffix of the
/// database type in the file's metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    City,
    Country,
    Asn,
    AnonymousIp,
    ConnectionType,
    Domain,
    Enterprise,
    Isp,
}

impl Kind {
    /// `IpDataLookupFactories.getDatabase`: a case-sensitive suffix match.
    pub fn from_database_type(database_type: &str) -> Option<Kind> {
        const SUFFIXES: &[(&str, Kind)] = &[
            ("-City", Kind::City),
            ("-Country", Kind::Country),
            ("-ASN", Kind::Asn),
            ("-Anonymous-IP", Kind::AnonymousIp),
            ("-Connection-Type", Kind::ConnectionType),
            ("-Domain", Kind::Domain),
            ("-Enterprise", Kind::Enterprise),
            ("-ISP", Kind::Isp),
        ];
        if database_type.trim().is_empty() {
            return None;
        }
        SUFFIXES.iter().find(|(s, _)| database_type.ends_with(s)).map(|&(_, k)| k)
    }

    pub fn valid_properties(self) -> &'static [Property] {
        use Property::*;
        match self {
            Kind::City => &[
                Ip,
                CountryInEuropeanUnion,
                CountryIsoCode,
                CountryName,
                ContinentCode,
                ContinentName,
                RegionIsoCode,
                RegionName,
                CityName,
                Timezone,
                Location,
                PostalCode,
                AccuracyRadius,
                RegisteredCountryInEuropeanUnion,
                RegisteredCountryIsoCode,
                RegisteredCountryName,
            ],
            Kind::Country => &[
                Ip,
                CountryInEuropeanUnion,
                CountryIsoCode,
                CountryName,
                ContinentCode,
                ContinentName,
                RegisteredCountryInEuropeanUnion,
                RegisteredCountryIsoCode,
                RegisteredCountryName,
            ],
            Kind::Asn => &[Ip, Asn, OrganizationName, Network],
            Kind::AnonymousIp => {
                &[Ip, HostingProvider, TorExitNode, AnonymousVpn, Anonymous, PublicProxy, ResidentialProxy]
            }
            Kind::ConnectionType => &[Ip, ConnectionType],
            Kind::Domain => &[Ip, Domain],
            Kind::Enterprise => &[
                Ip,
                CountryConfidence,
                CountryInEuropeanUnion,
                CountryIsoCode,
                CountryName,
                ContinentCode,
                ContinentName,
                RegionIsoCode,
                RegionName,
                CityConfidence,
                CityName,
                Timezone,
                Location,
                Asn,
                OrganizationName,
                Network,
                HostingProvider,
                TorExitNode,
                AnonymousVpn,
                Anonymous,
                PublicProxy,
                ResidentialProxy,
                Domain,
                Isp,
                IspOrganizationName,
                MobileCountryCode,
                MobileNetworkCode,
                ConnectionType,
                UserType,
                PostalCode,
                PostalConfidence,
                AccuracyRadius,
                RegisteredCountryInEuropeanUnion,
                RegisteredCountryIsoCode,
                RegisteredCountryName,
            ],
            Kind::Isp => &[
                Ip,
                Asn,
                OrganizationName,
                Network,
                Isp,
                IspOrganizationName,
                MobileCountryCode,
                MobileNetworkCode,
            ],
        }
    }

    pub fn default_properties(self) -> &'static [Property] {
        use Property::*;
        match self {
            Kind::City | Kind::Enterprise => {
                &[CountryIsoCode, CountryName, ContinentName, RegionIsoCode, RegionName, CityName, Location]
            }
            Kind::Country => &[CountryIsoCode, CountryName, ContinentName],
            Kind::Asn => &[Ip, Asn, OrganizationName, Network],
            Kind::AnonymousIp => &[HostingProvider, TorExitNode, AnonymousVpn, Anonymous, PublicProxy, ResidentialProxy],
            Kind::ConnectionType => &[ConnectionType],
            Kind::Domain => &[Domain],
            Kind::Isp => self.valid_properties(),
        }
    }

    /// `Database.parseProperties`: names are matched case-insensitively
    /// against the enum; an unknown or unsupported one lists the valid values.
    pub fn parse_properties(self, names: Option<&[String]>) -> Result<Vec<Property>, String> {
        let Some(names) = names else { return Ok(self.default_properties().to_vec()) };
        let valid = self.valid_properties();
        let mut parsed = Vec::new();
        for name in names {
            let upper = name.to_uppercase();
            match Property::ALL.iter().find(|p| p.enum_name() == upper && valid.contains(p)) {
                Some(p) => {
                    if !parsed.contains(p) {
                        parsed.push(*p);
                    }
                }
                None => {
                    let mut sorted = valid.to_vec();
                    sorted.sort();
                    let list = sorted.iter().map(|p| p.enum_name()).collect::<Vec<_>>().join(", ");
                    return Err(format!("illegal property value [{name}]. valid values are [{list}]"));
                }
            }
        }
        parsed.sort();
        Ok(parsed)
    }
}

/// The IPinfo databases Elasticsearch's `ip_location` reads (its `Database`
/// values `AsnV2`, `CountryV2`, `CityV2`, `PrivacyDetection`). ingot reads
/// none of them yet; knowing which types Elasticsearch accepts lets a
/// pipeline be refused as not supported rather than as an unsupported type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IpinfoKind {
    Asn,
    Country,
    Geolocation,
    PrivacyDetection,
}

impl IpinfoKind {
    /// `IpDataLookupFactories.getDatabase`: a database type starting with
    /// `ipinfo`, in any case, is an IPinfo database.
    pub fn is_ipinfo(database_type: &str) -> bool {
        database_type.to_lowercase().starts_with("ipinfo")
    }

    /// `IpinfoIpDataLookups.getIpinfoDatabase` over the lowercased type:
    /// `extended` and `country_asn` databases are refused, then the first of
    /// `asn`, `country`, `location` (also `geolocation`), `privacy` found in
    /// the cleaned-up type decides.
    pub fn from_database_type(database_type: &str) -> Option<IpinfoKind> {
        let lower = database_type.to_lowercase();
        let cleaned = ipinfo_type_cleanup(&lower);
        if lower.contains("extended") || cleaned.contains("country_asn") {
            return None;
        }
        [("asn", IpinfoKind::Asn), ("country", IpinfoKind::Country), ("location", IpinfoKind::Geolocation), ("privacy", IpinfoKind::PrivacyDetection)]
            .into_iter()
            .find(|(word, _)| cleaned.contains(word))
            .map(|(_, kind)| kind)
    }
}

/// `IpinfoIpDataLookups.ipinfoTypeCleanup`: split on space, `_` and `.`
/// (Java's `split`, which drops trailing empty parts), leave out the stop
/// words, join with `_`.
fn ipinfo_type_cleanup(database_type: &str) -> String {
    const STOP_WORDS: [&str; 8] = ["ipinfo", "extended", "free", "generic", "ip", "sample", "standard", "mmdb"];
    let mut parts: Vec<&str> = database_type.split([' ', '_', '.']).collect();
    while parts.len() > 1 && parts.last() == Some(&"") {
        parts.pop();
    }
    parts.retain(|p| !STOP_WORDS.contains(p));
    parts.join("_")
}

/// `Database.Property`, in Elasticsearch's declaration order (which orders
/// the list of valid values in error messages).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Property {
    Ip,
    CountryConfidence,
    CountryInEuropeanUnion,
    CountryIsoCode,
    CountryName,
    ContinentCode,
    ContinentName,
    RegionIsoCode,
    RegionName,
    CityConfidence,
    CityName,
    Timezone,
    Location,
    Asn,
    OrganizationName,
    Network,
    HostingProvider,
    TorExitNode,
    AnonymousVpn,
    Anonymous,
    PublicProxy,
    ResidentialProxy,
    Domain,
    Isp,
    IspOrganizationName,
    MobileCountryCode,
    MobileNetworkCode,
    ConnectionType,
    UserType,
    Type,
    PostalCode,
    PostalConfidence,
    AccuracyRadius,
    Hosting,
    Tor,
    Proxy,
    Relay,
    Vpn,
    Service,
    RegisteredCountryInEuropeanUnion,
    RegisteredCountryIsoCode,
    RegisteredCountryName,
}

// A property set is a `u64` of bits.
const _: () = assert!(Property::ALL.len() <= 64);

impl Property {
    const ALL: &'static [Property] = &[
        Property::Ip,
        Property::CountryConfidence,
        Property::CountryInEuropeanUnion,
        Property::CountryIsoCode,
        Property::CountryName,
        Property::ContinentCode,
        Property::ContinentName,
        Property::RegionIsoCode,
        Property::RegionName,
        Property::CityConfidence,
        Property::CityName,
        Property::Timezone,
        Property::Location,
        Property::Asn,
        Property::OrganizationName,
        Property::Network,
        Property::HostingProvider,
        Property::TorExitNode,
        Property::AnonymousVpn,
        Property::Anonymous,
        Property::PublicProxy,
        Property::ResidentialProxy,
        Property::Domain,
        Property::Isp,
        Property::IspOrganizationName,
        Property::MobileCountryCode,
        Property::MobileNetworkCode,
        Property::ConnectionType,
        Property::UserType,
        Property::Type,
        Property::PostalCode,
        Property::PostalConfidence,
        Property::AccuracyRadius,
        Property::Hosting,
        Property::Tor,
        Property::Proxy,
        Property::Relay,
        Property::Vpn,
        Property::Service,
        Property::RegisteredCountryInEuropeanUnion,
        Property::RegisteredCountryIsoCode,
        Property::RegisteredCountryName,
    ];

    fn bit(self) -> u64 {
        1 << self as u64
    }

    /// `HashMap.hash` of the key, which places it in a result map.
    fn java_hash_spread(self) -> u32 {
        const SPREADS: [u32; Property::ALL.len()] = {
            let mut spreads = [0; Property::ALL.len()];
            let mut i = 0;
            while i < Property::ALL.len() {
                let p = Property::ALL[i];
                spreads[p as usize] = java_hash_spread(p.key());
                i += 1;
            }
            spreads
        };
        SPREADS[self as usize]
    }

    /// The output key, which is also the lower-cased enum constant.
    pub const fn key(self) -> &'static str {
        use Property::*;
        match self {
            Ip => "ip",
            CountryConfidence => "country_confidence",
            CountryInEuropeanUnion => "country_in_european_union",
            CountryIsoCode => "country_iso_code",
            CountryName => "country_name",
            ContinentCode => "continent_code",
            ContinentName => "continent_name",
            RegionIsoCode => "region_iso_code",
            RegionName => "region_name",
            CityConfidence => "city_confidence",
            CityName => "city_name",
            Timezone => "timezone",
            Location => "location",
            Asn => "asn",
            OrganizationName => "organization_name",
            Network => "network",
            HostingProvider => "hosting_provider",
            TorExitNode => "tor_exit_node",
            AnonymousVpn => "anonymous_vpn",
            Anonymous => "anonymous",
            PublicProxy => "public_proxy",
            ResidentialProxy => "residential_proxy",
            Domain => "domain",
            Isp => "isp",
            IspOrganizationName => "isp_organization_name",
            MobileCountryCode => "mobile_country_code",
            MobileNetworkCode => "mobile_network_code",
            ConnectionType => "connection_type",
            UserType => "user_type",
            Type => "type",
            PostalCode => "postal_code",
            PostalConfidence => "postal_confidence",
            AccuracyRadius => "accuracy_radius",
            Hosting => "hosting",
            Tor => "tor",
            Proxy => "proxy",
            Relay => "relay",
            Vpn => "vpn",
            Service => "service",
            RegisteredCountryInEuropeanUnion => "registered_country_in_european_union",
            RegisteredCountryIsoCode => "registered_country_iso_code",
            RegisteredCountryName => "registered_country_name",
        }
    }

    /// The Java enum constant's name, as error messages print it.
    pub fn enum_name(self) -> String {
        self.key().to_uppercase()
    }
}

/// An open database file.
pub struct Database {
    pub file: String,
    pub database_type: String,
    reader: Reader<Vec<u8>>,
    records: RecordResults,
}

/// Results already built from a record, for lookups whose properties all
/// come from the record (not `ip` or `network`, which depend on the
/// address): the file never changes under a `Database`, so a record at an
/// offset always gives the same result. Many addresses share a record.
/// Keys are hashed with foldhash: std's SipHash cost a fifth of a lookup.
#[derive(Default)]
struct RecordResults {
    by_record: Mutex<HashMap<RecordKey, Map, foldhash::fast::RandomState>>,
}

/// The record's offset in the data section, the kind it is read as and the
/// requested properties (bits).
type RecordKey = (usize, Kind, u64);

/// Results kept at most; the set starts over when full, which bounds the
/// memory whatever the addresses.
const MAX_RECORD_RESULTS: usize = 1024;

impl RecordResults {
    fn get(&self, key: &RecordKey) -> Option<Map> {
        self.by_record.lock().unwrap_or_else(|e| e.into_inner()).get(key).cloned()
    }

    fn insert(&self, key: RecordKey, result: &Map) {
        let mut by_record = self.by_record.lock().unwrap_or_else(|e| e.into_inner());
        if by_record.len() >= MAX_RECORD_RESULTS {
            by_record.clear();
        }
        by_record.insert(key, result.clone());
    }
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Database").field("file", &self.file).field("database_type", &self.database_type).finish()
    }
}

type Cache = Mutex<HashMap<PathBuf, (Option<SystemTime>, Arc<Database>)>>;

impl Database {
    pub fn from_bytes(file: &str, bytes: Vec<u8>) -> Result<Database, String> {
        let reader = Reader::from_source(bytes).map_err(|e| e.to_string())?;
        let database_type = reader.metadata().database_type.clone();
        Ok(Database { file: file.to_string(), database_type, reader, records: RecordResults::default() })
    }

    /// Opens `dir/file`, sharing one reader per path (reopened if the file
    /// changed). `Ok(None)` when the file does not exist: Elasticsearch then
    /// treats the database as unavailable rather than failing.
    pub fn open_shared(dir: &Path, file: &str) -> Result<Option<Arc<Database>>, String> {
        static CACHE: OnceLock<Cache> = OnceLock::new();
        let path = dir.join(file);
        let Ok(meta) = std::fs::metadata(&path) else { return Database::open_source_json(dir, file) };
        if !meta.is_file() {
            return Ok(None);
        }
        let modified = meta.modified().ok();
        let cache = CACHE.get_or_init(Default::default);
        let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((stamp, db)) = cache.get(&path) {
            if *stamp == modified {
                return Ok(Some(db.clone()));
            }
        }
        let bytes = std::fs::read(&path).map_err(|e| format!("cannot read [{}]: {e}", path.display()))?;
        let db = Arc::new(
            Database::from_bytes(file, bytes)
                .map_err(|e| format!("[{}] is not a valid MaxMind database: {e}", path.display()))?,
        );
        cache.insert(path, (modified, db.clone()));
        Ok(Some(db))
    }

    /// Falls back from `NAME.mmdb` to `NAME.json` in MaxMind's test-data
    /// source format, so fixtures can carry their databases as text.
    fn open_source_json(dir: &Path, file: &str) -> Result<Option<Arc<Database>>, String> {
        let Some(stem) = file.strip_suffix(".mmdb") else { return Ok(None) };
        let path = dir.join(format!("{stem}.json"));
        let Ok(text) = std::fs::read_to_string(&path) else { return Ok(None) };
        let bytes = writer::from_source_json(stem, &text).map_err(|e| format!("[{}]: {e}", path.display()))?;
        Database::from_bytes(file, bytes).map(|db| Some(Arc::new(db))).map_err(|e| format!("[{}]: {e}", path.display()))
    }

    /// Looks one address up; an empty map when the database has nothing for
    /// it (Elasticsearch then writes nothing).
    pub fn lookup(&self, kind: Kind, properties: &[Property], ip_text: &str) -> Result<Map, EsError> {
        let ip = parse_ip(ip_text)?;
        let result = self.reader.lookup(ip).map_err(|e| lookup_error(ip_text, e))?;
        let wanted = properties.iter().fold(0, |bits, &p| bits | p.bit());
        let per_address = Property::Ip.bit() | Property::Network.bit();
        let Some(offset) = result.offset().filter(|_| wanted & per_address == 0) else {
            return self.decode(kind, properties, ip, ip_text, &result);
        };
        let key = (offset, kind, wanted);
        if let Some(found) = self.records.get(&key) {
            return Ok(found);
        }
        let found = self.decode(kind, properties, ip, ip_text, &result)?;
        self.records.insert(key, &found);
        Ok(found)
    }

    /// The result of a lookup, read from the record found.
    fn decode(
        &self,
        kind: Kind,
        properties: &[Property],
        ip: IpAddr,
        ip_text: &str,
        result: &maxminddb::LookupResult<'_, Vec<u8>>,
    ) -> Result<Map, EsError> {
        if !result.has_data() {
            return Ok(Map::default());
        }
        let network = || result.network().ok().map(|n| format_network(n.ip(), n.prefix()));
        let mut data = Data::new(ip, properties);
        match kind {
            Kind::City => {
                let r: geoip2::City = decoded(result.decode(), ip_text)?;
                data.city(&r);
            }
            Kind::Enterprise => {
                let r: geoip2::Enterprise = decoded(result.decode(), ip_text)?;
                data.enterprise(&r, network);
            }
            Kind::Country => {
                let r: geoip2::Country = decoded(result.decode(), ip_text)?;
                data.countries(&r.country.into(), &r.registered_country.into(), r.continent.code, r.continent.names.english);
            }
            Kind::Asn => {
                let r: geoip2::Asn = decoded(result.decode(), ip_text)?;
                data.asn(r.autonomous_system_number, r.autonomous_system_organization, network);
            }
            Kind::Isp => {
                let r: geoip2::Isp = decoded(result.decode(), ip_text)?;
                data.asn(r.autonomous_system_number, r.autonomous_system_organization, network);
                data.isp(r.isp, r.organization, r.mobile_country_code, r.mobile_network_code);
            }
            Kind::AnonymousIp => {
                let r: geoip2::AnonymousIp = decoded(result.decode(), ip_text)?;
                data.anonymous([
                    r.is_hosting_provider,
                    r.is_tor_exit_node,
                    r.is_anonymous_vpn,
                    r.is_anonymous,
                    r.is_public_proxy,
                    r.is_residential_proxy,
                ]);
            }
            Kind::ConnectionType => {
                let r: geoip2::ConnectionType = decoded(result.decode(), ip_text)?;
                data.connection_type(r.connection_type);
            }
            Kind::Domain => {
                let r: geoip2::Domain = decoded(result.decode(), ip_text)?;
                data.put_str(Property::Domain, r.domain);
            }
        }
        Ok(data.finish())
    }
}

fn decoded<T>(r: Result<Option<T>, maxminddb::MaxMindDbError>, ip: &str) -> Result<T, EsError> {
    match r {
        Ok(Some(v)) => Ok(v),
        Ok(None) => Err(EsError::new("io_exception", format!("no record for [{ip}]"))),
        Err(e) => Err(lookup_error(ip, e)),
    }
}

fn lookup_error(ip: &str, e: maxminddb::MaxMindDbError) -> EsError {
    EsError::new("io_exception", format!("Error looking up [{ip}]: {e}"))
}

/// MaxMind's Java `Network.toString()`: `InetAddress.getHostAddress()`
/// (IPv6 uncompressed, without leading zeros) and the prefix length.
fn format_network(ip: IpAddr, prefix: u8) -> String {
    match ip {
        IpAddr::V4(v4) => format!("{v4}/{prefix}"),
        IpAddr::V6(v6) => {
            let groups = v6.segments().iter().map(|g| format!("{g:x}")).collect::<Vec<_>>().join(":");
            format!("{groups}/{prefix}")
        }
    }
}

/// The country record's fields Elasticsearch reads.
struct CountryRecord<'a> {
    iso_code: Option<&'a str>,
    name: Option<&'a str>,
    in_eu: bool,
}

impl<'a> From<geoip2::country::Country<'a>> for CountryRecord<'a> {
    fn from(c: geoip2::country::Country<'a>) -> Self {
        CountryRecord { iso_code: c.iso_code, name: c.names.english, in_eu: c.is_in_european_union.unwrap_or(false) }
    }
}

impl<'a> From<geoip2::enterprise::Country<'a>> for CountryRecord<'a> {
    fn from(c: geoip2::enterprise::Country<'a>) -> Self {
        CountryRecord { iso_code: c.iso_code, name: c.names.english, in_eu: c.is_in_european_union.unwrap_or(false) }
    }
}

/// The result map under construction: only requested properties are kept.
struct Data {
    /// The requested properties, one bit each (`1 << p as u64`).
    wanted: u64,
    /// In the order they were put, which is the order Elasticsearch puts them.
    entries: Vec<(Property, Value)>,
}

impl Data {
    fn new(ip: IpAddr, properties: &[Property]) -> Data {
        let wanted = properties.iter().fold(0, |bits, &p| bits | p.bit());
        let mut d = Data { wanted, entries: Vec::with_capacity(properties.len()) };
        d.put_with(Property::Ip, || Some(Value::String(format_ip(ip))));
        d
    }

    fn put(&mut self, p: Property, v: Option<Value>) {
        self.put_with(p, || v);
    }

    /// Builds the value only when the property was asked for: most
    /// lookups want a few of the record's fields.
    fn put_with(&mut self, p: Property, v: impl FnOnce() -> Option<Value>) {
        if self.wanted & p.bit() != 0 {
            if let Some(v) = v() {
                self.entries.push((p, v));
            }
        }
    }

    fn put_str(&mut self, p: Property, v: Option<&str>) {
        self.put_with(p, || v.map(Value::from));
    }

    fn countries(&mut self, country: &CountryRecord, registered: &CountryRecord, continent_code: Option<&str>, continent_name: Option<&str>) {
        // Membership of the EU only means something when the country is known.
        self.put(Property::CountryInEuropeanUnion, country.iso_code.map(|_| Value::Bool(country.in_eu)));
        self.put_str(Property::CountryIsoCode, country.iso_code);
        self.put_str(Property::CountryName, country.name);
        self.put_str(Property::ContinentCode, continent_code);
        self.put_str(Property::ContinentName, continent_name);
        self.put(
            Property::RegisteredCountryInEuropeanUnion,
            registered.iso_code.map(|_| Value::Bool(registered.in_eu)),
        );
        self.put_str(Property::RegisteredCountryIsoCode, registered.iso_code);
        self.put_str(Property::RegisteredCountryName, registered.name);
    }

    /// Region as ISO 3166-2 (`GB-ENG`), from the most specific subdivision.
    fn region(&mut self, country_iso: Option<&str>, subdivision_iso: Option<&str>, subdivision_name: Option<&str>) {
        if let (Some(c), Some(s)) = (country_iso, subdivision_iso) {
            self.put_with(Property::RegionIsoCode, || Some(Value::String([c, "-", s].concat())));
        }
        self.put_str(Property::RegionName, subdivision_name);
    }

    fn location(&mut self, lat: Option<f64>, lon: Option<f64>, tz: Option<&str>, radius: Option<u16>) {
        self.put_str(Property::Timezone, tz);
        if let (Some(lat), Some(lon)) = (lat, lon) {
            self.put_with(Property::Location, || {
                // Two entries stay in a HashMap's first table of 16 buckets;
                // a tie in bucket keeps insertion order (`lat` first).
                const LAT_FIRST: bool = java_hash_spread("lat") & 15 <= java_hash_spread("lon") & 15;
                let (lat, lon) = (("lat", Value::Double(lat)), ("lon", Value::Double(lon)));
                let (first, second) = if LAT_FIRST { (lat, lon) } else { (lon, lat) };
                let mut location = Map::with_capacity(2);
                location.insert(first.0.to_owned(), first.1);
                location.insert(second.0.to_owned(), second.1);
                Some(Value::Map(location))
            });
        }
        self.put(Property::AccuracyRadius, radius.map(|r| Value::Int(r as i32)));
    }

    fn city(&mut self, r: &geoip2::City) {
        let country: CountryRecord = r.country.clone().into();
        let registered: CountryRecord = r.registered_country.clone().into();
        self.countries(&country, &registered, r.continent.code, r.continent.names.english);
        let sub = r.subdivisions.last();
        self.region(country.iso_code, sub.and_then(|s| s.iso_code), sub.and_then(|s| s.names.english));
        self.put_str(Property::CityName, r.city.names.english);
        self.location(r.location.latitude, r.location.longitude, r.location.time_zone, r.location.accuracy_radius);
        self.put_str(Property::PostalCode, r.postal.code);
    }

    fn enterprise<F: Fn() -> Option<String>>(&mut self, r: &geoip2::Enterprise, network: F) {
        let country: CountryRecord = r.country.clone().into();
        let registered: CountryRecord = r.registered_country.clone().into();
        self.countries(&country, &registered, r.continent.code, r.continent.names.english);
        self.put(Property::CountryConfidence, r.country.confidence.map(|c| Value::Int(c as i32)));
        let sub = r.subdivisions.last();
        self.region(country.iso_code, sub.and_then(|s| s.iso_code), sub.and_then(|s| s.names.english));
        self.put(Property::CityConfidence, r.city.confidence.map(|c| Value::Int(c as i32)));
        self.put_str(Property::CityName, r.city.names.english);
        self.location(r.location.latitude, r.location.longitude, r.location.time_zone, r.location.accuracy_radius);
        self.put_str(Property::PostalCode, r.postal.code);
        self.put(Property::PostalConfidence, r.postal.confidence.map(|c| Value::Int(c as i32)));
        let t = &r.traits;
        self.asn(t.autonomous_system_number, t.autonomous_system_organization, network);
        self.anonymous([
            t.is_hosting_provider,
            t.is_tor_exit_node,
            t.is_anonymous_vpn,
            t.is_anonymous,
            t.is_public_proxy,
            t.is_residential_proxy,
        ]);
        self.put_str(Property::Domain, t.domain);
        self.isp(t.isp, t.organization, t.mobile_country_code, t.mobile_network_code);
        self.put_str(Property::UserType, t.user_type);
        self.connection_type(t.connection_type);
    }

    fn asn<F: Fn() -> Option<String>>(&mut self, number: Option<u32>, org: Option<&str>, network: F) {
        self.put(Property::Asn, number.map(|n| Value::Long(n as i64)));
        self.put_str(Property::OrganizationName, org);
        self.put_with(Property::Network, || network().map(Value::String));
    }

    fn isp(&mut self, isp: Option<&str>, org: Option<&str>, mcc: Option<&str>, mnc: Option<&str>) {
        self.put_str(Property::Isp, isp);
        self.put_str(Property::IspOrganizationName, org);
        self.put_str(Property::MobileCountryCode, mcc);
        self.put_str(Property::MobileNetworkCode, mnc);
    }

    /// The anonymity flags are Java primitives: absent means `false`.
    fn anonymous(&mut self, flags: [Option<bool>; 6]) {
        use Property::*;
        let props = [HostingProvider, TorExitNode, AnonymousVpn, Anonymous, PublicProxy, ResidentialProxy];
        for (p, f) in props.into_iter().zip(flags) {
            self.put(p, Some(Value::Bool(f.unwrap_or(false))));
        }
    }

    /// MaxMind's Java `ConnectionType` knows five values; others read as none.
    fn connection_type(&mut self, t: Option<&str>) {
        const KNOWN: &[&str] = &["Dialup", "Cable/DSL", "Corporate", "Cellular", "Satellite"];
        self.put_str(Property::ConnectionType, t.filter(|t| KNOWN.contains(t)));
    }

    /// The entries in the order a `java.util.HashMap` filled in put order
    /// iterates them, as `java_hash_order` would give, with each key's hash
    /// known at compile time.
    fn finish(mut self) -> Map {
        let mut table = 16;
        while self.entries.len() * 4 > table * 3 {
            table *= 2;
        }
        let bucket = |p: Property| p.java_hash_spread() as usize & (table - 1);
        // An insertion sort: stable (a bucket's chain keeps insertion order)
        // and without allocating, for a few dozen entries at most.
        for i in 1..self.entries.len() {
            let mut j = i;
            while j > 0 && bucket(self.entries[j - 1].0) > bucket(self.entries[j].0) {
                self.entries.swap(j - 1, j);
                j -= 1;
            }
        }
        let mut map = Map::with_capacity(self.entries.len());
        map.extend(self.entries.into_iter().map(|(p, v)| (p.key().to_owned(), v)));
        map
    }
}

/// `HashMap.hash` of an ASCII key (`String.hashCode` over its UTF-16 code
/// units, which are its bytes), evaluated at compile time.
const fn java_hash_spread(key: &str) -> u32 {
    let bytes = key.as_bytes();
    let mut h: u32 = 0;
    let mut i = 0;
    while i < bytes.len() {
        h = h.wrapping_mul(31).wrapping_add(bytes[i] as u32);
        i += 1;
    }
    h ^ (h >> 16)
}

/// Orders entries as a `java.util.HashMap` filled in this order iterates
/// them, which is the order Elasticsearch writes the geoip result in.
pub fn java_hash_order(entries: Vec<(&'static str, Value)>) -> Map {
    crate::value::java_hash_map_of(entries, 16)
}

#[cfg(test)]
pub(crate) mod testdata {
    //! Tiny databases built from our own records, written once per test run.
    use super::writer;
    use serde_json::json;
    use std::path::PathBuf;
    use std::sync::OnceLock;

    /// A directory holding `GeoLite2-City.mmdb`, `GeoLite2-Country.mmdb`,
    /// `GeoLite2-ASN.mmdb` and `GeoIP2-Anonymous-IP.mmdb` test databases,
    /// and two IPinfo-typed ones (`ip_asn_sample.mmdb`, which Elasticsearch
    /// reads, and `ip_country_asn_sample.mmdb`, which it refuses).
    pub fn dir() -> PathBuf {
        static DIR: OnceLock<PathBuf> = OnceLock::new();
        DIR.get_or_init(|| {
            // One directory shared by every test run (a static is never
            // dropped, so a per-process directory would be left behind each
            // time); files are replaced atomically, so runs may overlap.
            let dir = std::env::temp_dir().join("ingot-geoip-testdata");
            std::fs::create_dir_all(&dir).unwrap();
            let city = json!({
                "city": {"names": {"en": "Springfield", "de": "Springfeld"}},
                "continent": {"code": "NA", "names": {"en": "North America"}},
                "country": {"iso_code": "US", "names": {"en": "United States"}},
                "location": {"latitude": 39.7817, "longitude": -89.6501, "time_zone": "America/Chicago", "accuracy_radius": 20},
                "postal": {"code": "62701"},
                "registered_country": {"iso_code": "DE", "is_in_european_union": true, "names": {"en": "Germany"}},
                "subdivisions": [{"iso_code": "XX", "names": {"en": "Outer"}}, {"iso_code": "IL", "names": {"en": "Illinois"}}]
            });
            let country_only = json!({
                "continent": {"code": "EU", "names": {"en": "Europe"}},
                "country": {"iso_code": "FR", "is_in_european_union": true, "names": {"en": "France"}}
            });
            let v6 = json!({
                "city": {"names": {"en": "Sixton"}},
                "country": {"iso_code": "NZ", "names": {"en": "New Zealand"}},
                "location": {"latitude": -41.5, "longitude": 174.25}
            });
            write(&dir, "GeoLite2-City.mmdb", "GeoLite2-City", &[
                ("192.0.2.0/24", city),
                ("198.51.100.0/25", country_only.clone()),
                ("2001:db8::/48", v6),
            ]);
            write(&dir, "GeoLite2-Country.mmdb", "GeoLite2-Country", &[("198.51.100.0/25", country_only)]);
            write(&dir, "GeoLite2-ASN.mmdb", "GeoLite2-ASN", &[
                ("203.0.113.0/26", json!({"autonomous_system_number": 64500, "autonomous_system_organization": "Example Networks"})),
                ("2001:db8:1::/48", json!({"autonomous_system_number": 64501})),
            ]);
            write(&dir, "GeoIP2-Anonymous-IP.mmdb", "GeoIP2-Anonymous-IP", &[
                ("192.0.2.128/25", json!({"is_anonymous": true, "is_tor_exit_node": true})),
            ]);
            write(&dir, "Custom-Thing.mmdb", "Custom-Thing", &[("192.0.2.0/24", json!({"x": 1}))]);
            write(&dir, "ip_asn_sample.mmdb", "ipinfo ip_asn_sample.mmdb", &[("192.0.2.0/24", json!({"asn": "AS64500"}))]);
            write(&dir, "ip_country_asn_sample.mmdb", "ipinfo ip_country_asn_sample.mmdb", &[("192.0.2.0/24", json!({"asn": "AS64500"}))]);
            write(&dir, "GeoIP2-ISP.mmdb", "GeoIP2-ISP", &[(
                "198.51.100.0/24",
                json!({"autonomous_system_number": 64510, "autonomous_system_organization": "Transit Org",
                       "isp": "Example ISP", "organization": "Example Org", "mobile_country_code": "310",
                       "mobile_network_code": "004"}),
            )]);
            write(&dir, "GeoIP2-Connection-Type.mmdb", "GeoIP2-Connection-Type", &[
                ("198.51.100.0/25", json!({"connection_type": "Cable/DSL"})),
                ("198.51.100.128/25", json!({"connection_type": "Carrier Pigeon"})),
            ]);
            write(&dir, "GeoIP2-Domain.mmdb", "GeoIP2-Domain", &[("198.51.100.0/24", json!({"domain": "example.net"}))]);
            write(&dir, "GeoIP2-Enterprise.mmdb", "GeoIP2-Enterprise", &[(
                "198.51.100.0/24",
                json!({
                    "city": {"confidence": 40, "names": {"en": "Lyon"}},
                    "country": {"confidence": 99, "iso_code": "FR", "is_in_european_union": true, "names": {"en": "France"}},
                    "location": {"latitude": 45.75, "longitude": 4.85},
                    "postal": {"code": "69001", "confidence": 10},
                    "subdivisions": [{"iso_code": "ARA", "names": {"en": "Auvergne-Rhone-Alpes"}}],
                    "traits": {"autonomous_system_number": 64511, "is_anycast": true, "user_type": "business",
                               "connection_type": "Corporate", "domain": "example.fr", "isp": "FR ISP"}
                }),
            )]);
            dir
        })
        .clone()
    }

    fn write(dir: &std::path::Path, file: &str, db_type: &str, networks: &[(&str, serde_json::Value)]) {
        let partial = dir.join(format!("{file}.{}.partial", std::process::id()));
        std::fs::write(&partial, writer::build(db_type, networks).unwrap()).unwrap();
        std::fs::rename(&partial, dir.join(file)).unwrap();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db(file: &str) -> Arc<Database> {
        Database::open_shared(&testdata::dir(), file).unwrap().unwrap()
    }

    #[test]
    fn a_source_json_stands_in_for_a_missing_mmdb() {
        let dir_guard = tempfile::tempdir().unwrap();
        let dir = dir_guard.path().to_path_buf();
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("GeoLite2-ASN.json"),
            r#"[{"203.0.113.0/24": {"autonomous_system_number": 64496, "autonomous_system_organization": "Example AS"}}]"#,
        )
        .unwrap();
        let db = Database::open_shared(&dir, "GeoLite2-ASN.mmdb").unwrap().expect("built from JSON");
        let m = db.lookup(Kind::Asn, Kind::Asn.default_properties(), "203.0.113.9").unwrap();
        assert_eq!(m["asn"], Value::Long(64496));
        assert_eq!(m["organization_name"], Value::from("Example AS"));
        std::fs::write(dir.join("GeoLite2-City.json"), r#"[{"203.0.113.0/33": {}}]"#).unwrap();
        let err = Database::open_shared(&dir, "GeoLite2-City.mmdb").unwrap_err();
        assert!(err.contains("is not a network in CIDR notation"), "{err}");
        std::fs::remove_dir_all(&dir).ok();
    }

    // IpinfoIpDataLookupsTests.testIpinfoTypeCleanup and
    // testDatabaseTypeParsing.
    #[test]
    fn ipinfo_types_are_sniffed_as_elasticsearch_does() {
        for (t, cleaned) in [
            ("ipinfo standard_abuse_mmdb_v4.mmdb", "abuse_v4"),
            ("ipinfo generic_asn_mmdb_v4.mmdb", "asn_v4"),
            ("ipinfo extended_location_v2.mmdb", "location_v2"),
            ("ipinfo standard_ip_hosted_domains_sample.mmdb", "hosted_domains"),
            ("ipinfo ip_country_asn_sample.mmdb", "country_asn"),
            ("ipinfo ip_geolocation_extended_ipv4_sample.mmdb", "geolocation_ipv4"),
            ("ipinfo generic_country_free_country_asn.mmdb", "country_country_asn"),
        ] {
            assert_eq!(ipinfo_type_cleanup(t), cleaned, "{t}");
        }
        use IpinfoKind::*;
        for (t, kind) in [
            ("ipinfo ip_asn_sample.mmdb", Some(Asn)),
            ("ipinfo asn_sample.mmdb", Some(Asn)),
            ("ipinfo ip_geolocation_standard_sample.mmdb", Some(Geolocation)),
            ("ipinfo standard_location.mmdb", Some(Geolocation)),
            ("ipinfo ip_country_sample.mmdb", Some(Country)),
            ("ipinfo privacy_detection_sample.mmdb", Some(PrivacyDetection)),
            ("IPinfo generic_country_free.mmdb", Some(Country)),
            ("ipinfo ip_country_asn_sample.mmdb", None),
            ("ipinfo privacy_detection_extended_sample.mmdb", None),
            ("ipinfo standard_company.mmdb", None),
        ] {
            assert_eq!(IpinfoKind::from_database_type(t), kind, "{t}");
        }
        assert!(IpinfoKind::is_ipinfo("IPinfo x"));
        assert!(!IpinfoKind::is_ipinfo("GeoLite2-ASN"));
    }

    #[test]
    fn kinds_come_from_the_type_suffix() {
        assert_eq!(Kind::from_database_type("GeoLite2-City"), Some(Kind::City));
        assert_eq!(Kind::from_database_type("GeoIP2-Enterprise"), Some(Kind::Enterprise));
        assert_eq!(Kind::from_database_type("GeoLite2-city"), None);
        assert_eq!(Kind::from_database_type(""), None);
    }

    #[test]
    fn properties_parse_case_insensitively_and_list_valid_values() {
        let names = vec!["LOCATION".to_string(), "ip".to_string()];
        assert_eq!(Kind::City.parse_properties(Some(&names)).unwrap(), vec![Property::Ip, Property::Location]);
        let bad = vec!["asn".to_string()];
        assert_eq!(
            Kind::Country.parse_properties(Some(&bad)).unwrap_err(),
            "illegal property value [asn]. valid values are [IP, COUNTRY_IN_EUROPEAN_UNION, COUNTRY_ISO_CODE, \
             COUNTRY_NAME, CONTINENT_CODE, CONTINENT_NAME, REGISTERED_COUNTRY_IN_EUROPEAN_UNION, \
             REGISTERED_COUNTRY_ISO_CODE, REGISTERED_COUNTRY_NAME]"
        );
    }

    #[test]
    fn city_lookup_reads_every_property() {
        let all = Kind::City.valid_properties();
        let m = db("GeoLite2-City.mmdb").lookup(Kind::City, all, "192.0.2.7").unwrap();
        assert_eq!(m["ip"], Value::from("192.0.2.7"));
        assert_eq!(m["city_name"], Value::from("Springfield"));
        assert_eq!(m["region_iso_code"], Value::from("US-IL"), "the most specific subdivision wins");
        assert_eq!(m["region_name"], Value::from("Illinois"));
        assert_eq!(m["country_in_european_union"], Value::Bool(false));
        assert_eq!(m["registered_country_in_european_union"], Value::Bool(true));
        assert_eq!(m["registered_country_name"], Value::from("Germany"));
        assert_eq!(m["accuracy_radius"], Value::Int(20));
        assert_eq!(m["postal_code"], Value::from("62701"));
        assert_eq!(m["timezone"], Value::from("America/Chicago"));
        assert_eq!(Value::Map(m["location"].as_map().unwrap().clone()).to_json(), r#"{"lon":-89.6501,"lat":39.7817}"#);
    }

    #[test]
    fn absent_fields_are_left_out() {
        let m = db("GeoLite2-City.mmdb").lookup(Kind::City, Kind::City.default_properties(), "198.51.100.1").unwrap();
        assert_eq!(Value::Map(m).to_json(), r#"{"continent_name":"Europe","country_iso_code":"FR","country_name":"France"}"#);
    }

    #[test]
    fn unknown_addresses_give_nothing_and_bad_ones_fail() {
        let city = db("GeoLite2-City.mmdb");
        assert!(city.lookup(Kind::City, Kind::City.default_properties(), "10.0.0.1").unwrap().is_empty());
        let e = city.lookup(Kind::City, Kind::City.default_properties(), "not-an-ip").unwrap_err();
        assert_eq!(e.reason, "'not-an-ip' is not an IP string literal.");
        assert_eq!(e.kind, "illegal_argument_exception");
        assert!(parse_ip("01.2.3.4").is_err(), "leading zeros are refused as in Elasticsearch");
    }

    #[test]
    fn asn_network_is_printed_as_java_does() {
        let asn = db("GeoLite2-ASN.mmdb");
        let m = asn.lookup(Kind::Asn, Kind::Asn.default_properties(), "203.0.113.9").unwrap();
        assert_eq!(m["asn"], Value::Long(64500));
        assert_eq!(m["network"], Value::from("203.0.113.0/26"));
        assert_eq!(m["organization_name"], Value::from("Example Networks"));
        let m = asn.lookup(Kind::Asn, Kind::Asn.default_properties(), "2001:db8:1:0::5").unwrap();
        assert_eq!(m["network"], Value::from("2001:db8:1:0:0:0:0:0/48"));
        assert_eq!(m["ip"], Value::from("2001:db8:1::5"));
        assert!(!m.contains_key("organization_name"));
    }

    #[test]
    fn ipv4_mapped_addresses_are_ipv4() {
        let m = db("GeoLite2-ASN.mmdb").lookup(Kind::Asn, &[Property::Ip], "::ffff:203.0.113.9").unwrap();
        assert_eq!(m["ip"], Value::from("203.0.113.9"));
    }

    #[test]
    fn anonymous_flags_default_to_false() {
        let m = db("GeoIP2-Anonymous-IP.mmdb")
            .lookup(Kind::AnonymousIp, Kind::AnonymousIp.default_properties(), "192.0.2.200")
            .unwrap();
        assert_eq!(m["tor_exit_node"], Value::Bool(true));
        assert_eq!(m["public_proxy"], Value::Bool(false));
        assert_eq!(m.len(), 6);
    }

    #[test]
    fn isp_connection_type_domain_and_enterprise() {
        let isp = db("GeoIP2-ISP.mmdb").lookup(Kind::Isp, Kind::Isp.default_properties(), "198.51.100.7").unwrap();
        assert_eq!(isp["asn"], Value::Long(64510));
        assert_eq!(isp["organization_name"], Value::from("Transit Org"));
        assert_eq!(isp["isp"], Value::from("Example ISP"));
        assert_eq!(isp["isp_organization_name"], Value::from("Example Org"));
        assert_eq!(isp["mobile_country_code"], Value::from("310"));
        assert_eq!(isp["mobile_network_code"], Value::from("004"));
        assert_eq!(isp["network"], Value::from("198.51.100.0/24"));

        let ct = db("GeoIP2-Connection-Type.mmdb");
        let m = ct.lookup(Kind::ConnectionType, Kind::ConnectionType.default_properties(), "198.51.100.1").unwrap();
        assert_eq!(Value::Map(m).to_json(), r#"{"connection_type":"Cable/DSL"}"#);
        let m = ct.lookup(Kind::ConnectionType, Kind::ConnectionType.default_properties(), "198.51.100.200").unwrap();
        assert!(m.is_empty(), "a type MaxMind's Java reader does not know reads as none");

        let m = db("GeoIP2-Domain.mmdb").lookup(Kind::Domain, &[Property::Domain], "198.51.100.1").unwrap();
        assert_eq!(m["domain"], Value::from("example.net"));

        let all = Kind::Enterprise.valid_properties();
        let m = db("GeoIP2-Enterprise.mmdb").lookup(Kind::Enterprise, all, "198.51.100.1").unwrap();
        assert_eq!(m["city_confidence"], Value::Int(40));
        assert_eq!(m["country_confidence"], Value::Int(99));
        assert_eq!(m["postal_confidence"], Value::Int(10));
        assert_eq!(m["region_iso_code"], Value::from("FR-ARA"));
        assert_eq!(m["country_in_european_union"], Value::Bool(true));
        assert_eq!(m["asn"], Value::Long(64511));
        assert_eq!(m["user_type"], Value::from("business"));
        assert_eq!(m["connection_type"], Value::from("Corporate"));
        assert_eq!(m["domain"], Value::from("example.fr"));
        assert_eq!(m["isp"], Value::from("FR ISP"));
        assert_eq!(m["hosting_provider"], Value::Bool(false));
        assert_eq!(m["network"], Value::from("198.51.100.0/24"));
        assert!(!m.contains_key("registered_country_iso_code"));
    }

    #[test]
    fn results_kept_by_record_are_those_decoded() {
        let city = Database::from_bytes("GeoLite2-City.mmdb", std::fs::read(testdata::dir().join("GeoLite2-City.mmdb")).unwrap()).unwrap();
        let all = Kind::City.valid_properties();
        let addresses = ["192.0.2.7", "192.0.2.8", "198.51.100.1", "198.51.100.2", "2001:db8::1", "10.0.0.1", "192.0.2.7"];
        // Property sets from every subset of a few, with and without the per-address ones.
        for bits in 0u32..(1 << 6) {
            let props: Vec<Property> = [0, 3, 8, 10, 12, 15].iter().enumerate().filter(|(i, _)| bits & (1 << i) != 0).map(|(_, &p)| all[p]).collect();
            for _ in 0..2 {
                for text in addresses {
                    let ip = parse_ip(text).unwrap();
                    let found = city.reader.lookup(ip).unwrap();
                    let want = city.decode(Kind::City, &props, ip, text, &found).unwrap();
                    let got = city.lookup(Kind::City, &props, text).unwrap();
                    assert_eq!(got.into_iter().collect::<Vec<_>>(), want.into_iter().collect::<Vec<_>>(), "{text} {props:?}");
                }
            }
        }
        let kept = city.records.by_record.lock().unwrap().len();
        assert!(kept > 0 && kept <= MAX_RECORD_RESULTS);
    }

    #[test]
    fn databases_are_opened_once() {
        assert!(Arc::ptr_eq(&db("GeoLite2-City.mmdb"), &db("GeoLite2-City.mmdb")));
        assert!(Database::open_shared(&testdata::dir(), "nope.mmdb").unwrap().is_none());
    }

    #[test]
    fn result_maps_are_in_the_order_java_hash_order_gives() {
        // Every property set and put order, drawn from a fixed pseudo-random sequence,
        // including sets large enough to grow the table to 32 and 64 buckets.
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move |n: usize| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 33) as usize % n
        };
        for _ in 0..2000 {
            let mut pool = Property::ALL.to_vec();
            let len = next(pool.len()) + 1;
            let mut entries = Vec::new();
            for i in 0..len {
                let p = pool.swap_remove(next(pool.len()));
                entries.push((p, Value::Int(i as i32)));
            }
            let want = java_hash_order(entries.iter().map(|(p, v)| (p.key(), v.clone())).collect());
            let got = Data { wanted: u64::MAX, entries }.finish();
            assert_eq!(got.into_iter().collect::<Vec<_>>(), want.into_iter().collect::<Vec<_>>());
        }
    }

    #[test]
    fn location_is_in_java_hash_order() {
        let mut data = Data::new(IpAddr::from([192, 0, 2, 1]), &[Property::Location]);
        data.location(Some(1.5), Some(2.5), None, None);
        let got = data.finish();
        let want = java_hash_order(vec![("lat", Value::Double(1.5)), ("lon", Value::Double(2.5))]);
        assert_eq!(got["location"], Value::Map(want));
        assert_eq!(got["location"].as_map().unwrap().keys().collect::<Vec<_>>(), ["lon", "lat"]);
    }

    #[test]
    fn hash_order_follows_java() {
        // "lon" lands in bucket 10 and "lat" in bucket 14 of a 16-slot table.
        let m = java_hash_order(vec![("lat", Value::Int(1)), ("lon", Value::Int(2))]);
        assert_eq!(m.keys().collect::<Vec<_>>(), ["lon", "lat"]);
    }
}
