Feature: JSON values in the response, failing twin
  The same checks as pass/json_values.feature, with wrong expected values, missing paths and
  malformed arguments. Every scenario must fail.

  Background:
    Given address "@address"
    And URL path "/api/echo"
    And REST method "POST"
    And request is "{"name": "John Doe", "employee_no": 123, "salary": 1234.5, "active": true, "archived": false, "manager": null, "tags": ["a", "b"], "address": {"city": "Gdansk"}}"

  Scenario: path is a string, with a wrong value
    When the URL is invoked
    Then path "/json/name" is "Jane Roe"

  Scenario: path is a string, on a number
    When the URL is invoked
    Then path "/json/employee_no" is "123"

  Scenario: path is True, on false
    When the URL is invoked
    Then path "/json/archived" is True

  Scenario: path is False, on a string
    When the URL is invoked
    Then path "/json/name" is False

  Scenario: path is null, on an object
    When the URL is invoked
    Then path "/json/address" is null

  Scenario: path is an integer, with a wrong value
    When the URL is invoked
    Then path "/json/employee_no" is an integer "124"

  Scenario: path is an integer, with an argument that is not an integer
    When the URL is invoked
    Then path "/json/employee_no" is an integer "one hundred"

  Scenario: path is a float, with a wrong value
    When the URL is invoked
    Then path "/json/salary" is a float "1234.25"

  Scenario: path is a list of strings, in another order
    When the URL is invoked
    Then path "/json/tags" is a list "b, a"

  Scenario: path is a JSON document, with a wrong value
    When the URL is invoked
    Then path "/json/address" is JSON "{"city": "Warsaw"}"

  Scenario: path is a JSON document, with an argument that is not JSON
    When the URL is invoked
    Then path "/json/address" is JSON "{city: Gdansk}"

  Scenario: path is not a string, with the value it has
    When the URL is invoked
    Then path "/json/name" is not a string "John Doe"

  Scenario: path with a misspelled key shows the keys that exist
    When the URL is invoked
    Then path "/json/nmae" is "John Doe"

  Scenario: path with a list index past the end
    When the URL is invoked
    Then path "/json/tags/2" is "c"

  Scenario: path through a value that is not an object
    When the URL is invoked
    Then path "/json/name/first" is "John"

  Scenario: path without a leading slash is not a JSON Pointer
    When the URL is invoked
    Then path "json/name" is "John Doe"

  Scenario: path check on a response that is not JSON
    Given URL path "/api/text"
    And REST method "GET"
    When the URL is invoked
    Then path "/name" is "John Doe"

  Scenario: a path that is missing is said to exist
    Given address "@address"
    Given URL path "/api/echo"
    Given REST method "POST"
    Given request is
      """
      {"name": "John Doe"}
      """
    When the URL is invoked
    Then path "/json/salary" exists

  Scenario: a path that is present is said not to exist
    Given address "@address"
    Given URL path "/api/echo"
    Given REST method "POST"
    Given request is "{"name": "John Doe"}"
    When the URL is invoked
    Then path "/json/name" does not exist

  Scenario: a doc string document that differs
    Given address "@address"
    Given URL path "/api/status/201"
    When the URL is invoked
    Then JSON response is equal to
      """
      {"status": 200}
      """
