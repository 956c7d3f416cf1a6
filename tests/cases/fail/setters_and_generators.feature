Feature: Setters and generators, used wrongly
  Every scenario must fail: a setter's failing twin fails because of what the setter did or
  refused to do, deterministically.

  Background:
    Given address "@address"
    And URL path "/api/echo"
    And REST method "POST"

  Scenario: a random string needs a JSON request body
    Given path "/name" in request is a random string

  Scenario: a random integer needs a JSON request body
    Given request is "plain text"
    And path "/floor" in request is a random integer

  Scenario: a random float needs a JSON request body
    Given path "/score" in request is a random float

  Scenario: a random string needs a name to be stored under
    Given I store a random string under ""

  Scenario: a random integer needs a name to be stored under
    Given I store a random integer under " "

  Scenario: a random float needs a name to be stored under
    Given I store a random float under ""

  Scenario: UTC now needs a registered format
    Given request is "{}"
    And path "/when" in request is UTC now "iso"

  Scenario: an hour ago needs a registered format
    Given request is "{}"
    And path "/when" in request is UTC now "iso" minus one hour

  Scenario: a random date needs a registered format
    Given request is "{}"
    And path "/when" in request is a random date "iso"

  Scenario: a stored date needs a registered format
    Given I store a random date under "today", format "iso"
