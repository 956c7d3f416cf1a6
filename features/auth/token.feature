@auth
Feature: Login token for sending e-mail
  POST /api/login with the user's name and password answers with a bearer token; that
  token, sent as `Authorization: Bearer <token>`, lets POST /api/email/send through.

  Background:
    Given address "@address"
    And REST method "POST"

  @smoke
  Scenario: A token from the login lets the user send an e-mail
    Given URL path "/api/login"
    And request is "{"username": "alice", "password": "alice-secret-pw"}"
    When the URL is invoked
    Then status is "200"
    And path "/meta/is_ok" is True
    And path "/data/token" is a string
    And path "/data/token" is not empty
    And path "/data/token_type" is "Bearer"
    And path "/data/expires_in" is an integer "3600"
    And I store "/data/token" from response under "token"

    Given URL path "/api/email/send"
    And header "Authorization" "Bearer #{token}"
    And request is "{"to": "bob@example.com", "subject": "Quarterly report"}"
    When the URL is invoked
    Then status is "200"
    And path "/meta/is_ok" is True
    And path "/data/to" is "bob@example.com"
    And path "/data/message_id" is not empty

  Scenario: The login also accepts an HTML form
    Given URL path "/api/login"
    And format "FORM"
    And form field "username" is "alice"
    And form field "password" is "alice-secret-pw"
    When the URL is invoked
    Then status is "200"
    And path "/data/token" is any string

  Scenario: A wrong password gets no token
    Given URL path "/api/login"
    And request is "{"username": "alice", "password": "guess"}"
    When the URL is invoked
    Then status is "403"
    And path "/meta/is_ok" is False
    And path "/meta/message" is "invalid username or password"

  Scenario: Sending e-mail without a token is refused
    Given URL path "/api/email/send"
    And request is "{"to": "bob@example.com", "subject": "Hello"}"
    When the URL is invoked
    Then status is "403"
    And path "/meta/error_code" is "FORBIDDEN"
    And path "/meta/message" starts with "a bearer token"
