Feature: Multi-line expected values
  A doc string under `path "..." is` holds an expected text with line breaks.

  Background:
    Given address "@address"
    And URL path "/api/echo"
    And REST method "POST"
    And format "RAW"

  Scenario: a multi-line string in the response
    Given request is
      """
      221B Baker Street
      London NW1 6XE
      United Kingdom
      """
    When the URL is invoked
    Then path "/body" is
      """
      221B Baker Street
      London NW1 6XE
      United Kingdom
      """

  Scenario: references resolve in the expected text
    Given I store "London" under "city"
    And request is
      """
      221B Baker Street
      London NW1 6XE
      """
    When the URL is invoked
    Then path "/body" is
      """
      221B Baker Street
      #{city} NW1 6XE
      """
