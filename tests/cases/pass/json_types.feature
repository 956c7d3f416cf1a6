Feature: JSON types in the response
  Checks that look only at the type of the value at a JSON Pointer. /api/echo returns the
  JSON it received under `json`.

  Background:
    Given address "@address"
    And URL path "/api/echo"
    And REST method "POST"
    And request is "{"count": 7, "ratio": 0.25, "whole_float": 7.0, "label": "seven", "code": "7", "flag": true, "none": null, "items": ["a"], "nested": {"level": 2}}"

  Scenario: is an integer
    When the URL is invoked
    Then path "/json/count" is an integer

  Scenario: is any integer
    When the URL is invoked
    Then path "/json/count" is any integer

  Scenario: is a float
    When the URL is invoked
    Then path "/json/ratio" is a float

  Scenario: is a float, written with a fraction of zero
    When the URL is invoked
    Then path "/json/whole_float" is a float

  Scenario: is any float
    When the URL is invoked
    Then path "/json/ratio" is any float

  Scenario: is a number, for an integer
    When the URL is invoked
    Then path "/json/count" is a number

  Scenario: is a number, for a float
    When the URL is invoked
    Then path "/json/ratio" is a number

  Scenario: is a string
    When the URL is invoked
    Then path "/json/label" is a string

  Scenario: is any string
    When the URL is invoked
    Then path "/json/label" is any string

  Scenario: is a boolean
    When the URL is invoked
    Then path "/json/flag" is a boolean

  Scenario: is any bool
    When the URL is invoked
    Then path "/json/flag" is any bool

  Scenario: is a list
    When the URL is invoked
    Then path "/json/items" is a list

  Scenario: is an object
    When the URL is invoked
    Then path "/json/nested" is an object
