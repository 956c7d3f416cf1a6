@http
Feature: JSON values and their types
  /api/echo returns the JSON it received under `json`, so a request with every kind of JSON
  value shows how each check reads the response. Numbers compare by value (7 is 7.0), but
  a string never equals a number.

  Background:
    Given address "@address"
    And URL path "/api/echo"
    And REST method "POST"
    And format "JSON"
    And request is "{"count": 7, "ratio": 0.25, "big": 1e3, "label": "seven", "flag": true, "none": null, "items": ["a", "b"], "numbers": [1, 2.5], "empty_list": [], "empty_dict": {}, "blank": "", "nested": {"level": 2}}"

  @smoke
  Scenario: Each value has the type its check expects
    When the URL is invoked
    Then status is "200"
    And path "/json/count" is an integer
    And path "/json/count" is any integer
    And path "/json/count" is a number
    And path "/json/ratio" is a float
    And path "/json/ratio" is any float
    And path "/json/ratio" is a number
    And path "/json/big" is a float
    And path "/json/label" is a string
    And path "/json/label" is any string
    And path "/json/flag" is a boolean
    And path "/json/flag" is any bool
    And path "/json/items" is a list
    And path "/json/nested" is an object

  Scenario: Each value equals what was sent
    When the URL is invoked
    Then path "/json/count" is an integer "7"
    And path "/json/count" is a float "7.0"
    And path "/json/ratio" is a float "0.25"
    And path "/json/big" is an integer "1000"
    And path "/json/label" is "seven"
    And path "/json/flag" is True
    And path "/json/none" is null
    And path "/json/items" is a list "a, b"
    And path "/json/numbers" is JSON "[1, 2.5]"
    And path "/json/nested" is JSON "{"level": 2}"
    And path "/json/nested/level" is an integer "2"

  Scenario: Empty values are told apart
    When the URL is invoked
    Then path "/json/blank" is empty
    And path "/json/empty_list" is an empty list
    And path "/json/empty_dict" is an empty dict
    And path "/json/items" is not an empty list
    And path "/json/label" is not empty
    And path "/json/count" is not empty

  Scenario: List elements are read as JSON and found by value
    When the URL is invoked
    Then path "/json/items" contains ""a""
    And path "/json/numbers" contains "2.5"
    And path "/json/numbers" contains "1.0"
    And path "/json/items/1" is "b"

  Scenario: A stored value is compared with its type
    When the URL is invoked
    Then I store "/json/count" from response under "count"
    And I store "/json/items" from response under "items"
    And path "/json/count" is "#count"
    And path "/json/items" is "#items"

  Scenario: Check that fields are there, or not, with bodies in doc strings
    Given URL path "/api/echo"
    Given REST method "POST"
    Given request is
      """
      {"name": "Jane Roe", "department": "Payroll", "manager": null}
      """
    When the URL is invoked
    Then path "/json/name" exists
    And path "/json/manager" exists
    And path "/json/password" does not exist
    Given URL path "/api/status/200"
    Given REST method "GET"
    When the URL is invoked
    Then JSON response is equal to
      """
      {"status": 200}
      """
