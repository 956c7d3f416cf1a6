Feature: JSON types in the response, failing twin
  The same type checks as pass/json_types.feature, each on a value of another type. Every
  scenario must fail.

  Background:
    Given address "@address"
    And URL path "/api/echo"
    And REST method "POST"
    And request is "{"count": 7, "ratio": 0.25, "whole_float": 7.0, "label": "seven", "code": "7", "flag": true, "none": null, "items": ["a"], "nested": {"level": 2}}"

  Scenario: is an integer, on a float
    When the URL is invoked
    Then path "/json/ratio" is an integer

  Scenario: is any integer, on a string of digits
    When the URL is invoked
    Then path "/json/code" is any integer

  Scenario: is a float, on an integer
    When the URL is invoked
    Then path "/json/count" is a float

  Scenario: is a float, on null
    When the URL is invoked
    Then path "/json/none" is a float

  Scenario: is any float, on a boolean
    When the URL is invoked
    Then path "/json/flag" is any float

  Scenario: is a number, on a string
    When the URL is invoked
    Then path "/json/label" is a number

  Scenario: is a number, on a list
    When the URL is invoked
    Then path "/json/items" is a number

  Scenario: is a string, on an integer
    When the URL is invoked
    Then path "/json/count" is a string

  Scenario: is any string, on null
    When the URL is invoked
    Then path "/json/none" is any string

  Scenario: is a boolean, on a string
    When the URL is invoked
    Then path "/json/label" is a boolean

  Scenario: is any bool, on an integer
    When the URL is invoked
    Then path "/json/count" is any bool

  Scenario: is a list, on an object
    When the URL is invoked
    Then path "/json/nested" is a list

  Scenario: is an object, on a list
    When the URL is invoked
    Then path "/json/items" is an object
