// The gateway's API types (http/api.hpp). Included by routes.cpp only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gateway/gateway.hpp"
#include "http/api.hpp"

namespace tinhso::gateway {

struct MemberView {
  std::int64_t id = 0;
  std::string code;
  std::string name;
  http::Nullable<std::int64_t> agency_id;
  http::Timestamp created_at;
};
TINHSO_API_STRUCT(MemberView, (id, code, name, agency_id, created_at))

struct MemberBody {
  http::Text<64> code;  // the agency's electronic identification code, e.g. H55.19
  http::Text<300> name;
  std::optional<std::int64_t> agency_id;
};
TINHSO_API_STRUCT(MemberBody, (code, name, agency_id))

struct SubsystemView {
  std::int64_t id = 0;
  std::int64_t member_id = 0;
  std::string code;  // "<member>/<name>"
  std::string name;
  bool has_token = false;
  std::string certificate_sha256;
  std::vector<std::string> allowed_ips;
  int rate_per_second = 0;
  bool enabled = true;
  http::Timestamp created_at;
};
TINHSO_API_STRUCT(SubsystemView, (id, member_id, code, name, has_token, certificate_sha256,
                                  allowed_ips, rate_per_second, enabled, created_at))

struct SubsystemBody {
  http::Text<64> member_code;
  http::Text<64> name;  // e.g. motcua
  std::optional<std::vector<std::string>> allowed_ips;
  std::optional<http::Bounded<int, 1, 100'000>> rate_per_second;
};
TINHSO_API_STRUCT(SubsystemBody, (member_code, name, allowed_ips, rate_per_second))

struct SubsystemChangeBody {
  std::optional<std::vector<std::string>> allowed_ips;  // [] = any address
  std::optional<http::Bounded<int, 1, 100'000>> rate_per_second;
  std::optional<bool> enabled;
};
TINHSO_API_STRUCT(SubsystemChangeBody, (allowed_ips, rate_per_second, enabled))

struct TokenBody {
  http::Text<130> subsystem;
};
TINHSO_API_STRUCT(TokenBody, (subsystem))

struct TokenView {
  std::string subsystem;
  std::string token;  // shown once: only its SHA-256 is kept
};
TINHSO_API_STRUCT(TokenView, (subsystem, token))

struct CertificateBody {
  http::Text<130> subsystem;
  http::Text<20000> certificate_pem;
};
TINHSO_API_STRUCT(CertificateBody, (subsystem, certificate_pem))

struct ServiceView {
  std::int64_t id = 0;
  std::string code;
  std::string provider_code;
  std::string name;
  std::string description;
  std::string upstream_url;
  int timeout_ms = 0;
  std::int64_t max_request_bytes = 0;
  std::int64_t max_response_bytes = 0;
  bool enabled = true;
};
TINHSO_API_STRUCT(ServiceView, (id, code, provider_code, name, description, upstream_url,
                                timeout_ms, max_request_bytes, max_response_bytes, enabled))

struct ServiceBody {
  http::Text<130> provider_code;
  http::Text<300> name;
  std::optional<http::Text<200000>> description;  // free text, or an OpenAPI document
  http::Text<2000> upstream_url;
  std::optional<http::Bounded<int, 100, 300'000>> timeout_ms;
  std::optional<http::Bounded<std::int64_t, 1, (std::int64_t{1} << 30)>> max_request_bytes;
  std::optional<http::Bounded<std::int64_t, 1, (std::int64_t{1} << 30)>> max_response_bytes;
  std::optional<bool> enabled;
};
TINHSO_API_STRUCT(ServiceBody, (provider_code, name, description, upstream_url, timeout_ms,
                                max_request_bytes, max_response_bytes, enabled))

struct RightView {
  std::int64_t id = 0;
  std::string client;
  std::string service;
  int per_minute = 0;
  int per_day = 0;
  http::Timestamp granted_at;
  std::int64_t granted_by = 0;
  http::Nullable<http::Timestamp> withdrawn_at;
};
TINHSO_API_STRUCT(RightView,
                  (id, client, service, per_minute, per_day, granted_at, granted_by, withdrawn_at))

struct RightBody {
  http::Text<130> client;
  http::Text<64> service;
  std::optional<http::Bounded<int, 0, 100'000'000>> per_minute;  // 0: no quota
  std::optional<http::Bounded<int, 0, 1'000'000'000>> per_day;
};
TINHSO_API_STRUCT(RightBody, (client, service, per_minute, per_day))

struct RightsQuery {
  std::optional<bool> all;  // withdrawn rights too
};
TINHSO_API_STRUCT(RightsQuery, (all))

struct LogView {
  std::int64_t seq = 0;
  std::int64_t at_ms = 0;
  std::string request_id;
  std::string client;
  std::string client_ip;
  std::string service;
  std::string method;
  std::string path;
  int status = 0;
  std::string error_code;
  std::int64_t request_bytes = 0;
  std::int64_t response_bytes = 0;
  std::string request_sha256;
  std::string response_sha256;
  std::int64_t duration_us = 0;
  std::string hash;
  bool bodies_kept = false;
  http::Nullable<std::int64_t> stamp_id;  // the time-stamp batch; null until stamped
};
TINHSO_API_STRUCT(LogView, (seq, at_ms, request_id, client, client_ip, service, method, path,
                            status, error_code, request_bytes, response_bytes, request_sha256,
                            response_sha256, duration_us, hash, bodies_kept, stamp_id))

struct LogQuery {
  std::optional<http::Text<130>> client;
  std::optional<http::Text<64>> service;
  std::optional<std::int64_t> before;  // seq: the page before it
  http::PageLimit limit = 50;
};
TINHSO_API_STRUCT(LogQuery, (client, service, before, limit))

struct MemberList {
  std::vector<MemberView> items;
};
TINHSO_API_STRUCT(MemberList, (items))
struct SubsystemList {
  std::vector<SubsystemView> items;
};
TINHSO_API_STRUCT(SubsystemList, (items))
struct ServiceList {
  std::vector<ServiceView> items;
};
TINHSO_API_STRUCT(ServiceList, (items))
struct RightList {
  std::vector<RightView> items;
};
TINHSO_API_STRUCT(RightList, (items))
struct LogList {
  std::vector<LogView> items;
};
TINHSO_API_STRUCT(LogList, (items))

struct AlertView {
  std::string service;
  std::string kind;  // "error_rate" or "latency"
  double value = 0;  // the error ratio (0–1), or the p95 in milliseconds
  double threshold = 0;
  std::int64_t calls = 0;  // in the window
  std::int64_t since_ms = 0;
};
TINHSO_API_STRUCT(AlertView, (service, kind, value, threshold, calls, since_ms))
struct AlertList {
  std::vector<AlertView> items;
};
TINHSO_API_STRUCT(AlertList, (items))

// One archive file of the message log (Service::Archives), oldest first.
struct ArchiveView {
  std::int64_t first_seq = 0;
  std::int64_t last_seq = 0;
  std::int64_t records = 0;
  std::int64_t stamps = 0;
  std::string file_name;
  std::string sha256;  // "" while the file is being written
  http::Timestamp created_at;
  bool purged = false;  // its records are only in the file now
};
TINHSO_API_STRUCT(ArchiveView,
                  (first_seq, last_seq, records, stamps, file_name, sha256, created_at, purged))
struct ArchiveList {
  std::vector<ArchiveView> items;
};
TINHSO_API_STRUCT(ArchiveList, (items))

// The gateway's own refusals: LGSP's {error_code, message} with our error beside it.
struct LgspErrorDetail {
  std::string code;
  std::string message_vi;
  std::string message_en;
  std::string request_id;
};
TINHSO_API_STRUCT(LgspErrorDetail, (code, message_vi, message_en, request_id))
struct LgspError {
  std::string error_code;  // "100", "101", … (LGSP), or ours: "413", "429", "502", "503", "504"
  std::string message;     // "AUTHEN_ERROR", …
  LgspErrorDetail error;
};
TINHSO_API_STRUCT(LgspError, (error_code, message, error))

}  // namespace tinhso::gateway
