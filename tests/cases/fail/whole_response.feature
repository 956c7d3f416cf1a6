Feature: The whole response, failing twin
  The same whole-response checks as pass/whole_response.feature, on responses that differ.
  Every scenario must fail.

  Background:
    Given address "@address"

  Scenario: JSON response is equal to, with a changed, a missing and an extra key
    Given URL path "/api/headers/set"
    And query string "?name=John+Doe&department=HR"
    When the URL is invoked
    Then JSON response is equal to "{"name": "Jane Roe", "employee_no": 123}"

  Scenario: JSON response is equal to, with a list of other length and a type change
    Given URL path "/api/headers/set"
    And query string "?name=John+Doe&tag=a&tag=b"
    When the URL is invoked
    Then JSON response is equal to ""
      """
      {
        "name": ["John Doe"],
        "tag": ["a", "b", "c"]
      }
      """

  Scenario: JSON response is equal to, with a number written as a string
    Given URL path "/api/status/201"
    When the URL is invoked
    Then JSON response is equal to "{"status": "201"}"

  Scenario: JSON response is equal to, with an expected document that is not JSON
    Given URL path "/api/status/201"
    When the URL is invoked
    Then JSON response is equal to "{status: 201}"

  Scenario: JSON response is equal to, on a response that is not JSON
    Given URL path "/api/text"
    When the URL is invoked
    Then JSON response is equal to "{"text": "Hello, World!"}"

  Scenario: response is equal to, with other text
    Given URL path "/api/text"
    And response format "RAW"
    When the URL is invoked
    Then response is equal to "Hello, world!"

  Scenario: response is equal to, on JSON with other spacing
    Given URL path "/api/status/202"
    When the URL is invoked
    Then response is equal to "{"status": 202}"

  Scenario: JSON response exists, on an empty object
    Given URL path "/api/headers/set"
    When the URL is invoked
    Then JSON response exists

  Scenario: JSON response exists, on an empty body
    Given URL path "/api/status/204"
    When the URL is invoked
    Then JSON response exists

  Scenario: JSON response does not exist, on a document
    Given URL path "/api/status/200"
    When the URL is invoked
    Then JSON response does not exist

  Scenario: JSON response does not exist, on text
    Given URL path "/api/text"
    When the URL is invoked
    Then JSON response does not exist
