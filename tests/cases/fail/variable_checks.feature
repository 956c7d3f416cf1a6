Feature: Checking stored variables and Python literals, wrongly
  Every scenario must fail: a twin that passes would mean the step checks nothing.

  Background:
    Given address "@address"
    And URL path "/api/echo"
    And REST method "POST"
    And request is "{"no": 123, "ratio": 0.25, "name": "John Doe", "tags": ["a", "b"], "ok": true, "none": [], "emp": {"k": 1}}"
    When the URL is invoked
    Then I store "/json/no" from response under "no"
    And I store "/json/ratio" from response under "ratio"
    And I store "/json/name" from response under "name"
    And I store "/json/tags" from response under "tags"
    And I store "/json/ok" from response under "ok"
    And I store "/json/none" from response under "none"
    And I store "/json/emp" from response under "emp"

  Scenario: a stored string is not an integer
    Given I store "42" under "text_42"
    Then variable "#text_42" is an integer "42"

  Scenario: a wrong float
    Then variable "#ratio" is a float "0.5"

  Scenario: a wrong string
    Then variable "#name" is a string "Jane Doe"

  Scenario: a list in another order
    Then variable "#tags" is a list "['b', 'a']"

  Scenario: the text True is not the boolean
    Given I store "True" under "text_true"
    Then variable "#text_true" is True

  Scenario: true is not False
    Then variable "#ok" is False

  Scenario: a non-empty list is not empty
    Then variable "#tags" is an empty list

  Scenario: type checks on the wrong types
    Then variable "#no" is any string

  Scenario: a list is not a dict
    Then variable "#tags" is any dict

  Scenario: a string is not a list
    Then variable "#name" is any list

  Scenario: a float is not an integer
    Then variable "#ratio" is any integer

  Scenario: an integer is not a float
    Then variable "#no" is any float

  Scenario: an integer is not a Boolean
    Then variable "#no" is any Boolean

  Scenario: a version-1 UUID is not a UUID4
    Given I store "c232ab00-9414-11ec-b3c8-9f6bdeced846" under "v1"
    Then variable "#v1" is any UUID4

  Scenario: a literal that differs
    Then path "/json/tags" is "['a', 'c']" (with literal_eval)

  Scenario: not a literal at all
    Then path "/json/name" is "John Doe" (with literal_eval)

  Scenario: a literal_eval setter with a bad literal
    Given path "/x" in request is "[1, 2" (with literal_eval)

  Scenario: a name is not a uuid
    Then path "/json/name" is a uuid
