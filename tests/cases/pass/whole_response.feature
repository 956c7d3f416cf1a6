Feature: The whole response
  Checks on the response as a whole: equal to a JSON document (key order does not matter),
  equal to a text, and whether there is any JSON at all.

  Background:
    Given address "@address"

  Scenario: JSON response is equal to, inline
    Given URL path "/api/headers/set"
    And query string "?name=John+Doe&department=HR"
    When the URL is invoked
    Then JSON response is equal to "{"department": "HR", "name": "John Doe"}"

  Scenario: JSON response is equal to, as a doc string
    Given URL path "/api/headers/set"
    And query string "?name=John+Doe&tag=a&tag=b"
    When the URL is invoked
    Then JSON response is equal to ""
      """
      {
        "name": "John Doe",
        "tag": ["a", "b"]
      }
      """

  Scenario: JSON response is equal to, numbers compared by value
    Given URL path "/api/status/201"
    When the URL is invoked
    Then JSON response is equal to "{"status": 201.0}"

  Scenario: response is equal to, on text
    Given URL path "/api/text"
    And response format "RAW"
    When the URL is invoked
    Then response is equal to "Hello, World!"

  Scenario: response is equal to, on JSON read as text
    Given URL path "/api/status/202"
    When the URL is invoked
    Then response is equal to "{"status":202}"

  Scenario: JSON response exists
    Given URL path "/api/status/200"
    When the URL is invoked
    Then JSON response exists

  Scenario: JSON response does not exist, for an empty body
    Given URL path "/api/status/204"
    When the URL is invoked
    Then JSON response does not exist

  Scenario: JSON response does not exist, for an empty object
    Given URL path "/api/headers/set"
    When the URL is invoked
    Then JSON response does not exist
