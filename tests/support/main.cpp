// The main() of every test binary (tinhso_test() links no gtest_main): one place to add
// process-wide test setup. A test that defines its own main() replaces this one.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

int main(int argc, char** argv) {
  ::testing::InitGoogleMock(&argc, argv);
  return RUN_ALL_TESTS();
}
