Feature: JSON values in the response
  Checks that compare the value at a JSON Pointer with an expected value. /api/echo returns
  the JSON it received under `json`, so each scenario sends the values it checks.

  Background:
    Given address "@address"
    And URL path "/api/echo"
    And REST method "POST"
    And request is "{"name": "John Doe", "employee_no": 123, "salary": 1234.5, "active": true, "archived": false, "manager": null, "tags": ["a", "b"], "address": {"city": "Gdansk"}}"

  Scenario: path is a string
    When the URL is invoked
    Then path "/json/name" is "John Doe"

  Scenario: path is True
    When the URL is invoked
    Then path "/json/active" is True

  Scenario: path is False
    When the URL is invoked
    Then path "/json/archived" is False

  Scenario: path is null
    When the URL is invoked
    Then path "/json/manager" is null

  Scenario: path is an integer
    When the URL is invoked
    Then path "/json/employee_no" is an integer "123"

  Scenario: path is a float
    When the URL is invoked
    Then path "/json/salary" is a float "1234.5"

  Scenario: path is a float, compared by value with an integer
    When the URL is invoked
    Then path "/json/employee_no" is a float "123"

  Scenario: path is a list of strings
    When the URL is invoked
    Then path "/json/tags" is a list "a, b"

  Scenario: path is a JSON document
    When the URL is invoked
    Then path "/json/address" is JSON "{"city": "Gdansk"}"

  Scenario: path is not a string
    When the URL is invoked
    Then path "/json/name" is not a string "Jane Roe"

  Scenario: path into a list by index
    When the URL is invoked
    Then path "/json/tags/1" is "b"

  Scenario: path with an empty pointer is the whole document
    When the URL is invoked
    Then path "" is an object

  Scenario: a path exists, another does not, and a body comes from a doc string
    Given address "@address"
    Given URL path "/api/echo"
    Given REST method "POST"
    Given request is
      """
      {"name": "John Doe", "manager": null}
      """
    When the URL is invoked
    Then path "/json/name" exists
    And path "/json/manager" exists
    And path "/json/salary" does not exist
    Given URL path "/api/status/200"
    Given REST method "GET"
    When the URL is invoked
    Then JSON response is equal to
      """
      {"status": 200}
      """
