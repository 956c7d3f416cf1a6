Feature: Multi-line expected values, failing twin

  Background:
    Given address "@address"
    And URL path "/api/echo"
    And REST method "POST"
    And format "RAW"

  Scenario: one line differs
    Given request is
      """
      221B Baker Street
      London NW1 6XE
      """
    When the URL is invoked
    Then path "/body" is
      """
      221B Baker Street
      London NW1 6XF
      """

  Scenario: a trailing line break is part of the text
    Given request is "221B Baker Street"
    When the URL is invoked
    Then path "/body" is
      """
      221B Baker Street

      """

  Scenario: no doc string under the step
    When the URL is invoked
    Then path "/body" is
