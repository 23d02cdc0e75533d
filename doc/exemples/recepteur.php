<?php
// Récepteur de webhooks Mon stage de 3e (PHP 7.4+), par exemple derrière votre serveur web,
// ou en local : WEBHOOK_SECRET=whsec_... php -S 127.0.0.1:8088 recepteur.php
//
// Vérifie l'horodatage (moins de 5 minutes) et la signature HMAC-SHA256 de
// "<horodatage>.<corps>", comparée en temps constant (hash_equals ; une des signatures de
// l'en-tête suffit pendant un renouvellement du secret). 200 si valide, 401 sinon.
// Dédoublonnez sur X-Webhook-Id dans votre base : un envoi peut arriver plusieurs fois.

$secret = getenv('WEBHOOK_SECRET');
$toleranceSeconds = 300;

$body = file_get_contents('php://input');
$id = $_SERVER['HTTP_X_WEBHOOK_ID'] ?? '';
$timestamp = $_SERVER['HTTP_X_WEBHOOK_TIMESTAMP'] ?? '';
$header = $_SERVER['HTTP_X_WEBHOOK_SIGNATURE_SHA256'] ?? '';

$fresh = ctype_digit($timestamp) && abs(time() - (int) $timestamp) <= $toleranceSeconds;
$expected = 'sha256=' . hash_hmac('sha256', $timestamp . '.' . $body, $secret);
$valid = false;
foreach (explode(',', $header) as $candidate) {
    if (hash_equals($expected, trim($candidate))) {
        $valid = true;
    }
}
$valid = $fresh && $valid;

if ($valid) {
    $event = json_decode($body, true);
    error_log(json_encode(['verified' => true, 'id' => $event['id'], 'type' => $event['type']]));
}
http_response_code($valid ? 200 : 401);
