#include "nationaldb/simulator.hpp"

#include <array>
#include <boost/json.hpp>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "http/http.hpp"
#include "http/loopback.hpp"
#include "nationaldb/wire.hpp"

namespace tinhso::nationaldb {
namespace {

namespace bj = boost::json;

constexpr std::array<std::string_view, 4> kServices = {
    kPopulationService, kCivilRegistrationService, kJudicialRecordsService, kCategoriesService};

http::Response Envelope(bj::object data) {
  bj::object o{{"error_code", "0"}, {"message", "SUCCESS"}, {"data", std::move(data)}};
  return http::JsonResponse(200, bj::serialize(o));
}

// An LGSP error, as the gateway answers it: HTTP 200 and the code in the envelope.
http::Response LgspError(std::string_view code) {
  std::string message = "UNKNOWN_ERROR";
  for (const LgspCode& known : LgspErrorCodes()) {
    if (known.code == code) message = std::string(known.message);
  }
  bj::object o{{"error_code", code}, {"message", message}};
  return http::JsonResponse(200, bj::serialize(o));
}

std::string Str(const bj::object& o, std::string_view field) {
  const bj::value* v = o.if_contains(field);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

bool IsDigits(std::string_view s, std::size_t size) {
  return s.size() == size && s.find_first_not_of("0123456789") == std::string_view::npos;
}

// An agency code in QĐ 20/2020 form: a letter, two digits, then dot-separated groups.
bool AgencyCode(std::string_view s) {
  if (s.size() < 3 || s.size() > 35 || s[0] < 'A' || s[0] > 'Z' || !IsDigits(s.substr(1, 2), 2)) {
    return false;
  }
  return s.substr(3).find_first_not_of(".0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") ==
         std::string_view::npos;
}

bj::object CitizenJson(const Citizen& c) {
  return {{"SoDinhDanh", c.so_dinh_danh},   {"SoCMND", c.so_cmnd},
          {"HoVaTen", c.ho_va_ten},         {"NgaySinh", *ToWireDate(c.ngay_sinh)},
          {"GioiTinh", c.gioi_tinh},        {"DanToc", c.dan_toc},
          {"TonGiao", c.ton_giao},          {"QuocTich", c.quoc_tich},
          {"QueQuan", c.que_quan},          {"NoiThuongTru", c.noi_thuong_tru},
          {"NoiOHienTai", c.noi_o_hien_tai}};
}

}  // namespace

const std::vector<Citizen>& Simulator::DemoCitizens() {
  // The people of the VNeID stand-in (tests/support/oidc_op.mjs: cong-dan-1, cong-dan-2,
  // doanh-nghiep-1's representative) and the demo accounts' citizen (data/demo/accounts.json),
  // with the same numbers, names and birth dates; the rest of each record is invented.
  static const std::vector<Citizen> citizens = {
      {.so_dinh_danh = "001099012345",
       .so_cmnd = "",
       .ho_va_ten = "Nguyễn Văn An",
       .ngay_sinh = "1999-01-02",
       .gioi_tinh = "1",
       .dan_toc = "01",
       .ton_giao = "00",
       .quoc_tich = "VN",
       .que_quan = "Xã Ba Bể, tỉnh Thái Nguyên",
       .noi_thuong_tru = "Thôn Pác Ngòi, xã Ba Bể, tỉnh Thái Nguyên",
       .noi_o_hien_tai = "Thôn Pác Ngòi, xã Ba Bể, tỉnh Thái Nguyên"},
      {.so_dinh_danh = "006201000123",
       .so_cmnd = "095123456",
       .ho_va_ten = "Hoàng Thị Bình",
       .ngay_sinh = "2001-08-15",
       .gioi_tinh = "2",
       .dan_toc = "02",
       .ton_giao = "00",
       .quoc_tich = "VN",
       .que_quan = "Xã Chợ Đồn, tỉnh Thái Nguyên",
       .noi_thuong_tru = "Tổ 3, phường Đức Xuân, tỉnh Thái Nguyên",
       .noi_o_hien_tai = "Tổ 3, phường Đức Xuân, tỉnh Thái Nguyên"},
      {.so_dinh_danh = "001085000777",
       .so_cmnd = "",
       .ho_va_ten = "Trần Văn Cường",
       .ngay_sinh = "1985-05-20",
       .gioi_tinh = "1",
       .dan_toc = "01",
       .ton_giao = "00",
       .quoc_tich = "VN",
       .que_quan = "Phường Bắc Kạn, tỉnh Thái Nguyên",
       .noi_thuong_tru = "Số 12, phường Bắc Kạn, tỉnh Thái Nguyên",
       .noi_o_hien_tai = "Số 12, phường Bắc Kạn, tỉnh Thái Nguyên"},
      {.so_dinh_danh = "019190000001",
       .so_cmnd = "",
       .ho_va_ten = "Nguyễn Thị Lan",
       .ngay_sinh = "1990-03-08",
       .gioi_tinh = "2",
       .dan_toc = "07",
       .ton_giao = "00",
       .quoc_tich = "VN",
       .que_quan = "Xã Chợ Mới, tỉnh Thái Nguyên",
       .noi_thuong_tru = "Thôn Nà Cù, xã Chợ Mới, tỉnh Thái Nguyên",
       .noi_o_hien_tai = "Tổ 5, phường Đức Xuân, tỉnh Thái Nguyên"},
  };
  return citizens;
}

struct Simulator::Impl {
  struct Service {
    std::string name;
    std::unique_ptr<http::LoopbackServer> server;
    unsigned short port = 0;
    std::string base_url;
    Fault fault;
    std::uint64_t released = 0;  // bumped by Release: held answers waiting on it go out
  };

  Options options;
  http::Router router;

  mutable std::mutex mu;
  std::condition_variable cv;
  bool stopping = false;
  std::array<Service, kServices.size()> services;
  std::vector<Received> received;
  std::map<std::string, Dossier, std::less<>> civil;
  std::map<std::string, Dossier, std::less<>> judicial;

  Service* Find(std::string_view name) {
    for (Service& s : services) {
      if (s.name == name) return &s;
    }
    return nullptr;
  }

  Result<void> Listen(Service& s) {
    http::LoopbackServer::Options listen;
    listen.port = s.port;
    listen.worker_threads = 2;  // a held answer must not hold the other requests
    TINHSO_ASSIGN_OR_RETURN(auto server, http::LoopbackServer::Start(router, "nationaldb-simulator",
                                                                     options.access_log_path,
                                                                     options.upload_dir, listen));
    std::lock_guard lock(mu);
    s.port = server->port();
    s.base_url = server->base_url();
    s.server = std::move(server);
    return Ok();
  }

  // Records the call and applies the service's fault. Returns the answer that replaces the
  // service's own (a fault, a refused token), or nullopt to answer normally.
  std::optional<http::Response> Admit(std::string_view service, const http::Request& req) {
    if (options.delay.count() > 0) std::this_thread::sleep_for(options.delay);
    std::unique_lock lock(mu);
    received.push_back({std::string(service), std::string(req.path), req.body,
                        std::string(req.Header("authorization"))});
    Service& s = *Find(service);
    if (s.fault.kind == FaultKind::kHold) {
      const std::uint64_t mine = s.released;
      cv.wait(lock, [&] { return stopping || s.released != mine; });
    }
    if (s.fault.kind == FaultKind::kLgspError) return LgspError(s.fault.code);
    if (s.fault.kind == FaultKind::kServerError) {
      http::Response r;
      r.status = s.fault.status;
      r.content_type = "text/html; charset=utf-8";
      r.body = "<html><body><h1>" + std::to_string(s.fault.status) +
               " Service Unavailable</h1></body></html>";
      return r;
    }
    if (!options.token.empty() && req.Header("authorization") != "Bearer " + options.token) {
      return LgspError("100");
    }
    return std::nullopt;
  }

  Result<http::Response> Population(const http::Request& req, bool fetch) {
    if (auto early = Admit(kPopulationService, req)) return std::move(*early);
    bj::error_code ec;
    bj::value v = bj::parse(req.body, ec);
    if (ec || !v.is_object()) return LgspError("302");
    const bj::object& o = v.get_object();
    const std::string number = Str(o, "SoDinhDanh");
    if (Str(o, "MaDichVu").empty() || Str(o, "MaYeuCau").empty()) return LgspError("200");
    if (!IsDigits(number, 12)) return LgspError("302");
    const Citizen* found = nullptr;
    for (const Citizen& c : DemoCitizens()) {
      if (c.so_dinh_danh == number) found = &c;
    }
    if (fetch) {
      if (found == nullptr) return LgspError("201");
      return Envelope({{"CongDan", CitizenJson(*found)}});
    }
    const std::string birth = Str(o, "NgaySinh");
    if (Str(o, "HoVaTen").empty()) return LgspError("200");
    if (!birth.empty() && !FromWireDate(birth)) return LgspError("302");
    if (found == nullptr) return Envelope({{"TonTai", false}});
    bj::array differs;
    if (Str(o, "HoVaTen") != found->ho_va_ten) differs.emplace_back("HoVaTen");
    if (!birth.empty() && birth != *ToWireDate(found->ngay_sinh)) differs.emplace_back("NgaySinh");
    return Envelope({{"TonTai", true}, {"TruongSaiLech", std::move(differs)}});
  }

  // dangKyHoTich and nhanHoSoDangKy: keep the dossier under its maHoSo.
  Result<http::Response> Register(std::string_view service, const http::Request& req) {
    if (auto early = Admit(service, req)) return std::move(*early);
    bj::error_code ec;
    bj::value v = bj::parse(req.body, ec);
    if (ec || !v.is_object()) return LgspError("302");
    const bj::object& o = v.get_object();
    const std::string unit = Str(o, "maDonVi");
    const std::string code = Str(o, "maHoSo");
    if (unit.empty() || code.empty()) return LgspError("200");
    if (!AgencyCode(unit)) return LgspError("106");
    if (!FromWireDate(Str(o, "ngayTiepNhan"))) return LgspError("302");
    const bool civil_registration = service == kCivilRegistrationService;
    if (civil_registration) {
      const std::string kind = Str(o, "loaiHoSo");
      if (kind != "KS" && kind != "KH" && kind != "KT") return LgspError("302");
      const bj::value* data = o.if_contains("duLieu");
      if (data == nullptr || !data->is_object() || data->get_object().empty()) {
        return LgspError("200");
      }
    } else {
      if (!IsDigits(Str(o, "soDinhDanh"), 12) || !FromWireDate(Str(o, "ngaySinh"))) {
        return LgspError("302");
      }
      if (Str(o, "hoTen").empty() || Str(o, "mucDich").empty()) return LgspError("200");
    }
    std::lock_guard lock(mu);
    auto& book = civil_registration ? civil : judicial;
    auto it = book.find(code);
    if (it != book.end()) {
      // Completed dossiers are not taken again; others are replaced, as a supplement is.
      if (it->second.trang_thai >= 3 && !civil_registration) return LgspError("500");
      if (it->second.trang_thai == 4) return LgspError("500");
      it->second.body = req.body;
      it->second.ma_don_vi = unit;
      ++it->second.times;
      if (it->second.trang_thai == 2) it->second.trang_thai = 1;  // the supplement came
    } else {
      book[code] = Dossier{.ma_don_vi = unit, .ma_ho_so = code, .body = req.body};
    }
    return Envelope({{"maHoSo", code}});
  }

  Result<http::Response> Status(std::string_view service, const http::Request& req) {
    if (auto early = Admit(service, req)) return std::move(*early);
    bj::error_code ec;
    bj::value v = bj::parse(req.body, ec);
    if (ec || !v.is_object()) return LgspError("302");
    const std::string unit = Str(v.get_object(), "maDonVi");
    const std::string code = Str(v.get_object(), "maHoSo");
    if (unit.empty() || code.empty()) return LgspError("200");
    std::lock_guard lock(mu);
    auto& book = service == kCivilRegistrationService ? civil : judicial;
    auto it = book.find(code);
    if (it == book.end() || it->second.ma_don_vi != unit) return LgspError("201");
    return Envelope(
        {{"maHoSo", code}, {"trangThai", it->second.trang_thai}, {"ghiChu", it->second.ghi_chu}});
  }

  // The national shared categories, in the shape tinhso's own /dmdc answers: one small
  // category here (sex), enough to read one through the gateway.
  Result<http::Response> Categories(const http::Request& req, const http::Context& ctx,
                                    bool metadata) {
    if (auto early = Admit(kCategoriesService, req)) return std::move(*early);
    if (ctx.Param("code") != "gioitinh") return LgspError("201");
    if (metadata) {
      bj::object version{{"PhienBan", "1"},
                         {"HieuLucTu", "2021-07-01"},
                         {"HieuLucDen", nullptr},
                         {"CanCu", "giả lập / simulated"},
                         {"SoMuc", 3}};
      return http::JsonResponse(
          200, bj::serialize(bj::object{{"MaDanhMuc", "gioitinh"},
                                        {"TenDanhMuc", "Giới tính"},
                                        {"TenTiengAnh", "Sex"},
                                        {"PhienBan", bj::array{std::move(version)}}}));
    }
    bj::array items;
    int n = 0;
    for (auto [code, name, en] : {std::array<std::string_view, 3>{"1", "Nam", "Male"},
                                  {"2", "Nữ", "Female"},
                                  {"3", "Chưa có thông tin", "Unknown"}}) {
      items.push_back(bj::object{{"Ma", code},
                                 {"Ten", name},
                                 {"TenTiengAnh", en},
                                 {"ThuTu", ++n},
                                 {"HieuLucTu", "2021-07-01"},
                                 {"HieuLucDen", nullptr}});
    }
    return http::JsonResponse(
        200, bj::serialize(bj::object{
                 {"MaDanhMuc", "gioitinh"}, {"PhienBan", "1"}, {"DanhSach", std::move(items)}}));
  }

  Result<http::Response> AdminStatus(bool civil_registration, const http::Request& req,
                                     const http::Context& ctx) {
    bj::error_code ec;
    bj::value v = bj::parse(req.body, ec);
    if (ec || !v.is_object() || !v.get_object().contains("trangThai") ||
        !v.get_object().at("trangThai").is_int64()) {
      return MakeError(ErrorCode::kInvalidArgument, "simulator.bad_request",
                       "Cần {\"trangThai\": 1..4, \"ghiChu\": \"…\"}.",
                       "Expected {\"trangThai\": 1..4, \"ghiChu\": \"…\"}.");
    }
    const int status = static_cast<int>(v.get_object().at("trangThai").get_int64());
    TINHSO_RETURN_IF_ERROR(
        SetStatus(civil_registration, ctx.Param("maHoSo"), status, Str(v.get_object(), "ghiChu")));
    return http::JsonResponse(200, R"({"ok":true})");
  }

  Result<void> SetStatus(bool civil_registration, std::string_view code, int status,
                         std::string note) {
    if (status < 1 || status > 4) {
      return MakeError(ErrorCode::kInvalidArgument, "simulator.bad_status",
                       "Trạng thái từ 1 đến 4.", "Statuses are 1 to 4.");
    }
    std::lock_guard lock(mu);
    auto& book = civil_registration ? civil : judicial;
    auto it = book.find(code);
    if (it == book.end()) {
      return MakeError(ErrorCode::kNotFound, "simulator.unknown_dossier",
                       "Hệ thống giả lập chưa nhận hồ sơ này.",
                       "The simulator has not received this dossier.");
    }
    it->second.trang_thai = status;
    it->second.ghi_chu = std::move(note);
    return Ok();
  }

  Result<http::Response> AdminFault(const http::Request& req, const http::Context& ctx) {
    bj::error_code ec;
    bj::value v = bj::parse(req.body, ec);
    Fault fault;
    const std::string kind = v.is_object() ? Str(v.get_object(), "kind") : "";
    if (kind == "lgsp") {
      fault.kind = FaultKind::kLgspError;
      fault.code = Str(v.get_object(), "code");
    } else if (kind == "http") {
      fault.kind = FaultKind::kServerError;
      if (const auto* s = v.get_object().if_contains("status"); s && s->is_int64()) {
        fault.status = static_cast<int>(s->get_int64());
      }
    } else if (kind == "hold") {
      fault.kind = FaultKind::kHold;
    } else if (kind != "none") {
      return MakeError(ErrorCode::kInvalidArgument, "simulator.bad_request",
                       "kind là lgsp, http, hold hoặc none.", "kind is lgsp, http, hold or none.");
    }
    std::unique_lock lock(mu);
    Service* s = Find(ctx.Param("service"));
    if (s == nullptr) {
      return MakeError(ErrorCode::kNotFound, "simulator.unknown_service", "Không có dịch vụ này.",
                       "No such service.");
    }
    if (s->fault.kind == FaultKind::kHold) ++s->released;
    s->fault = std::move(fault);
    cv.notify_all();
    return http::JsonResponse(200, R"({"ok":true})");
  }

  Result<http::Response> AdminReceived() {
    bj::array out;
    std::lock_guard lock(mu);
    for (const Received& r : received) {
      out.push_back(bj::object{{"service", r.service}, {"path", r.path}, {"body", r.body}});
    }
    return http::JsonResponse(200, bj::serialize(out));
  }
};

Simulator::Simulator(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Simulator::~Simulator() {
  {
    std::lock_guard lock(impl_->mu);
    impl_->stopping = true;
  }
  impl_->cv.notify_all();
  for (auto& s : impl_->services) s.server.reset();
}

Result<std::unique_ptr<Simulator>> Simulator::Start(Options options) {
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  Impl* self = impl.get();
  for (std::size_t i = 0; i < kServices.size(); ++i) self->services[i].name = kServices[i];
  auto add = [self](http::Method method, std::string path, http::Handler handler) {
    self->router.Add({.method = method,
                      .path = std::move(path),
                      .action = "public.nationaldb_simulator",
                      .handler = std::move(handler)});
  };
  using M = http::Method;
  add(M::kPost, std::string(kPopulationCheckPath),
      [self](const http::Request& r, http::Context&) { return self->Population(r, false); });
  add(M::kPost, std::string(kPopulationFetchPath),
      [self](const http::Request& r, http::Context&) { return self->Population(r, true); });
  add(M::kPost, std::string(kCivilRegisterPath), [self](const http::Request& r, http::Context&) {
    return self->Register(kCivilRegistrationService, r);
  });
  add(M::kPost, std::string(kCivilStatusPath), [self](const http::Request& r, http::Context&) {
    return self->Status(kCivilRegistrationService, r);
  });
  add(M::kPost, std::string(kJudicialRegisterPath), [self](const http::Request& r, http::Context&) {
    return self->Register(kJudicialRecordsService, r);
  });
  add(M::kPost, std::string(kJudicialStatusPath), [self](const http::Request& r, http::Context&) {
    return self->Status(kJudicialRecordsService, r);
  });
  add(M::kGet, "/dmdc/Metadata/{code}",
      [self](const http::Request& r, http::Context& c) { return self->Categories(r, c, true); });
  add(M::kGet, "/dmdc/Category/{code}",
      [self](const http::Request& r, http::Context& c) { return self->Categories(r, c, false); });
  add(M::kPost, "/_sim/hotich/{maHoSo}/status",
      [self](const http::Request& r, http::Context& c) { return self->AdminStatus(true, r, c); });
  add(M::kPost, "/_sim/lltp/{maHoSo}/status",
      [self](const http::Request& r, http::Context& c) { return self->AdminStatus(false, r, c); });
  add(M::kPost, "/_sim/fault/{service}",
      [self](const http::Request& r, http::Context& c) { return self->AdminFault(r, c); });
  add(M::kGet, "/_sim/received",
      [self](const http::Request&, http::Context&) { return self->AdminReceived(); });
  for (auto& s : self->services) TINHSO_RETURN_IF_ERROR(self->Listen(s));
  return std::unique_ptr<Simulator>(new Simulator(std::move(impl)));
}

std::string Simulator::base_url(std::string_view service) const {
  std::lock_guard lock(impl_->mu);
  const Impl::Service* s = impl_->Find(service);
  return s == nullptr ? std::string() : s->base_url;
}

DirectTransport::Options Simulator::TransportOptions() const {
  DirectTransport::Options o;
  for (std::string_view service : kServices) o.base_urls[std::string(service)] = base_url(service);
  o.token = impl_->options.token;
  return o;
}

void Simulator::SetFault(std::string_view service, Fault fault) {
  {
    std::lock_guard lock(impl_->mu);
    Impl::Service* s = impl_->Find(service);
    if (s == nullptr) return;
    if (s->fault.kind == FaultKind::kHold) ++s->released;
    s->fault = std::move(fault);
  }
  impl_->cv.notify_all();
}

void Simulator::Release(std::string_view service) { SetFault(service, Fault{}); }

Result<void> Simulator::SetOutage(std::string_view service, bool down) {
  std::unique_ptr<http::LoopbackServer> stopping;
  {
    std::lock_guard lock(impl_->mu);
    Impl::Service* s = impl_->Find(service);
    if (s == nullptr) {
      return MakeError(ErrorCode::kNotFound, "simulator.unknown_service", "Không có dịch vụ này.",
                       "No such service.");
    }
    if (!down) {
      if (s->server) return Ok();
    } else {
      // Answers held there go out first, or stopping would wait for them.
      if (s->fault.kind == FaultKind::kHold) ++s->released;
      stopping = std::move(s->server);
    }
  }
  impl_->cv.notify_all();
  if (down) {
    stopping.reset();  // outside the lock: its handlers may be waiting for it
    return Ok();
  }
  return impl_->Listen(*impl_->Find(service));
}

Result<void> Simulator::SetCivilStatus(std::string_view ma_ho_so, int status, std::string note) {
  return impl_->SetStatus(true, ma_ho_so, status, std::move(note));
}

Result<void> Simulator::SetJudicialStatus(std::string_view ma_ho_so, int status, std::string note) {
  return impl_->SetStatus(false, ma_ho_so, status, std::move(note));
}

std::vector<Simulator::Received> Simulator::ReceivedCalls() const {
  std::lock_guard lock(impl_->mu);
  return impl_->received;
}

std::optional<Simulator::Dossier> Simulator::CivilDossier(std::string_view ma_ho_so) const {
  std::lock_guard lock(impl_->mu);
  auto it = impl_->civil.find(ma_ho_so);
  if (it == impl_->civil.end()) return std::nullopt;
  return it->second;
}

std::optional<Simulator::Dossier> Simulator::JudicialDossier(std::string_view ma_ho_so) const {
  std::lock_guard lock(impl_->mu);
  auto it = impl_->judicial.find(ma_ho_so);
  if (it == impl_->judicial.end()) return std::nullopt;
  return it->second;
}

}  // namespace tinhso::nationaldb
