// What the adapters and the simulator agree on: the operations' paths and the date format on
// the wire. Internal to the module.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tinhso::nationaldb {

// The population database's operations (assumed paths: the guide names the check's fields, not
// where it is served).
inline constexpr std::string_view kPopulationCheckPath = "/apiCSDLDanCu/xacThucThongTinCongDan";
inline constexpr std::string_view kPopulationFetchPath = "/apiCSDLDanCu/layThongTinCongDan";
// Civil registration and judicial records: the guide's operation names (domain.md §7.3).
inline constexpr std::string_view kCivilRegisterPath = "/apiHoTichTuPhap/dangKyHoTich";
inline constexpr std::string_view kCivilStatusPath = "/apiHoTichTuPhap/traTrangThaiHoSo";
inline constexpr std::string_view kJudicialRegisterPath = "/apiLyLichTuPhap/nhanHoSoDangKy";
inline constexpr std::string_view kJudicialStatusPath = "/apiLyLichTuPhap/traTrangThaiHs";

// Dates travel as yyyyMMdd (assumed, the compact form of the DVCQG's yyyyMMddHHmmss).
// "2026-01-02" → "20260102"; nullopt unless `date` is a real YYYY-MM-DD date.
std::optional<std::string> ToWireDate(std::string_view date);
// "20260102" → "2026-01-02"; nullopt unless a real date.
std::optional<std::string> FromWireDate(std::string_view wire);

}  // namespace tinhso::nationaldb
