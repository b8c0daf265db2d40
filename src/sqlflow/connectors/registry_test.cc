#include "sqlflow/connectors/registry.h"

#include <stdexcept>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sqlflow {
namespace {

using ::testing::ElementsAre;

class StubSource : public SourceConnector {
 public:
  using SourceConnector::SourceConnector;
  std::vector<std::string> Discover() override { return {}; }
  Schema GetSchema(const std::string&) override { return Schema(); }
  std::unique_ptr<ChunkStream> Read(const ReadRequest&) override {
    return MakeVectorStream(std::make_shared<Schema>(), {});
  }
  ConnectionTestResult TestConnection() override { return {true, "ok", 0}; }
  const std::shared_ptr<Clock>& the_clock() const { return clock_ptr(); }

 protected:
  void DoConfigure(const ParameterSet&) override {}
};

ConnectorSpec Spec(std::string type) {
  ConnectorSpec spec;
  spec.type = std::move(type);
  spec.description = "stub";
  return spec;
}

SourceRegistry::Factory StubFactory() {
  return [](const ConnectorSpec& spec, std::shared_ptr<Clock> clock) {
    return std::make_unique<StubSource>(spec, std::move(clock));
  };
}

std::string UnknownTypeMessage(const SourceRegistry& registry, std::string_view type,
                               std::string* suggestion) {
  try {
    registry.Spec(type);
  } catch (const ParameterError& e) {
    EXPECT_EQ(e.connector(), "sqlflow");
    EXPECT_EQ(e.problems().size(), 1u);
    EXPECT_EQ(e.problems()[0].parameter, "type");
    *suggestion = e.problems()[0].suggestion;
    return e.problems()[0].message;
  }
  ADD_FAILURE() << "expected ParameterError for " << type;
  return "";
}

class RegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    registry_.sources().Register(Spec("CSV"), StubFactory());
    registry_.sources().Register(Spec("POSTGRES"), StubFactory());
  }
  ConnectorRegistry registry_;
};

TEST_F(RegistryTest, KindsAreSeparate) {
  EXPECT_EQ(registry_.sources().kind(), "source");
  EXPECT_EQ(registry_.destinations().kind(), "destination");
  EXPECT_TRUE(registry_.sources().Contains("CSV"));
  EXPECT_FALSE(registry_.destinations().Contains("CSV"));
  EXPECT_THAT(registry_.destinations().Types(), ElementsAre());
}

TEST_F(RegistryTest, LookupIsCaseInsensitive) {
  EXPECT_TRUE(registry_.sources().Contains("csv"));
  EXPECT_TRUE(registry_.sources().Contains("Postgres"));
  EXPECT_FALSE(registry_.sources().Contains("parquet"));
  EXPECT_EQ(registry_.sources().Spec("csv").type, "CSV");
}

TEST_F(RegistryTest, TypesKeepRegistrationOrder) {
  registry_.sources().Register(Spec("MEMORY"), StubFactory());
  EXPECT_THAT(registry_.sources().Types(), ElementsAre("CSV", "POSTGRES", "MEMORY"));
}

TEST_F(RegistryTest, DuplicateRegistrationThrows) {
  try {
    registry_.sources().Register(Spec("csv"), StubFactory());
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "source connector type 'CSV' is already registered");
  }
  EXPECT_THAT(registry_.sources().Types(), ElementsAre("CSV", "POSTGRES"));
}

TEST_F(RegistryTest, RegistrationNeedsANameAndAFactory) {
  EXPECT_THROW(registry_.sources().Register(Spec(" "), StubFactory()), std::invalid_argument);
  EXPECT_THROW(registry_.sources().Register(Spec("X"), nullptr), std::invalid_argument);
  EXPECT_FALSE(registry_.sources().Contains("X"));
}

TEST_F(RegistryTest, UnknownTypeSuggestsTheNearest) {
  std::string suggestion;
  EXPECT_EQ(UnknownTypeMessage(registry_.sources(), "cvs", &suggestion),
            "unknown source connector type 'cvs'");
  EXPECT_EQ(suggestion, "did you mean 'CSV'?");
  EXPECT_EQ(UnknownTypeMessage(registry_.sources(), "postgresql", &suggestion),
            "unknown source connector type 'postgresql'");
  EXPECT_EQ(suggestion, "did you mean 'POSTGRES'?");
}

TEST_F(RegistryTest, UnknownTypeListsTheKnownOnesWhenNothingIsClose) {
  std::string suggestion;
  EXPECT_EQ(UnknownTypeMessage(registry_.sources(), "shopify", &suggestion),
            "unknown source connector type 'shopify'");
  EXPECT_EQ(suggestion, "known source types: CSV, POSTGRES");
  try {
    registry_.sources().Create("shopify");
  } catch (const ParameterError& e) {
    EXPECT_EQ(std::string(e.what()),
              "sqlflow configure: invalid parameter: 'type': unknown source connector type "
              "'shopify' (known source types: CSV, POSTGRES)");
  }
}

TEST(RegistryEmptyTest, SaysNothingIsRegistered) {
  SourceRegistry registry("source");
  std::string suggestion;
  EXPECT_EQ(UnknownTypeMessage(registry, "csv", &suggestion),
            "unknown source connector type 'csv'");
  EXPECT_EQ(suggestion, "no source connector types are registered");
}

TEST_F(RegistryTest, CreateMakesAnUnconfiguredConnectorWithTheSpec) {
  auto clock = std::make_shared<FakeClock>();
  std::unique_ptr<SourceConnector> source = registry_.sources().Create("csv", clock);
  ASSERT_NE(source, nullptr);
  EXPECT_EQ(source->type_name(), "CSV");
  EXPECT_EQ(&source->spec(), &registry_.sources().Spec("CSV"));
  EXPECT_EQ(source->state(), ConnectorState::kCreated);
  EXPECT_EQ(static_cast<StubSource&>(*source).the_clock(), clock);

  std::unique_ptr<SourceConnector> real_time = registry_.sources().Create("CSV", nullptr);
  EXPECT_EQ(static_cast<StubSource&>(*real_time).the_clock(), SystemClock::Instance());
}

TEST_F(RegistryTest, SpecAddressesAreStable) {
  const ConnectorSpec* csv = &registry_.sources().Spec("CSV");
  for (int i = 0; i < 50; ++i) {
    registry_.sources().Register(Spec("T" + std::to_string(i)), StubFactory());
  }
  EXPECT_EQ(&registry_.sources().Spec("CSV"), csv);
}

TEST(RegistryFactoryTest, NullConnectorIsABug) {
  SourceRegistry registry("source");
  registry.Register(Spec("NULL"), [](const ConnectorSpec&, std::shared_ptr<Clock>) {
    return std::unique_ptr<SourceConnector>();
  });
  EXPECT_THROW(registry.Create("NULL"), std::logic_error);
}

}  // namespace
}  // namespace sqlflow
