import TestSupport

/// The fixture trees live in TestSupport, which the agent's tests share;
/// this name keeps every suite here reading them without an import each.
typealias Fixture = TestSupport.Fixture
